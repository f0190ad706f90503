/** Public face of kernel/runtime: cell state transitions and the scheduler. */
export { type Analysis, CellAnalysisCache } from "./cell-analysis.ts";
export { type CellRun, type RunMode, Scheduler, type SchedulerCell, type SchedulerOptions } from "./scheduler.ts";
export {
  type CellError,
  type CellEvent,
  type CellState,
  type CellStatus,
  initialCellState,
  transitionCell,
  wasRefused,
} from "./transitions.ts";
