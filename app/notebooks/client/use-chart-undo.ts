/**
 * Undo/redo of one chart cell's builder and spec changes made in this tab (Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z, Ctrl+Y inside
 * the builder). A Y.UndoManager scoped to the cell's config map tracks only this client's chart origin, so undo never
 * reverts a co-editor's change, and what it reverts reaches the others like any edit.
 */
import { useCallback, useEffect, useState } from "react";
import * as Y from "yjs";
import { findCell } from "../../../collab/index.ts";
import { chartOrigin } from "./chart-config.ts";

export interface ChartUndo {
  canUndo: boolean;
  canRedo: boolean;
  undo(): void;
  redo(): void;
  /** Ends the current undo step: the next change is a step of its own (choices are; typing in a field merges). */
  checkpoint(): void;
  /** Keyboard handler for the builder's container. */
  onKeyDown(event: React.KeyboardEvent): void;
}

export function useChartUndo(doc: Y.Doc, cellId: string, enabled: boolean): ChartUndo {
  const [manager, setManager] = useState<Y.UndoManager | null>(null);
  const [, setVersion] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const config = findCell(doc, cellId)?.get("config");
    if (!(config instanceof Y.Map)) return;
    const undoManager = new Y.UndoManager(config, {
      trackedOrigins: new Set<unknown>([chartOrigin(cellId)]),
      // Typing a title is one step, not one per letter.
      captureTimeout: 600,
    });
    const changed = () => setVersion((v) => v + 1);
    undoManager.on("stack-item-added", changed);
    undoManager.on("stack-item-popped", changed);
    undoManager.on("stack-cleared", changed);
    setManager(undoManager);
    return () => {
      undoManager.destroy();
      setManager(null);
    };
  }, [doc, cellId, enabled]);

  const undo = useCallback(() => void manager?.undo(), [manager]);
  const redo = useCallback(() => void manager?.redo(), [manager]);
  const checkpoint = useCallback(() => manager?.stopCapturing(), [manager]);
  const onKeyDown = useCallback(
    (event: React.KeyboardEvent) => {
      if (!manager || !(event.ctrlKey || event.metaKey) || event.altKey) return;
      // The spec tab's text keeps the browser's own text undo while it is being typed.
      if (event.target instanceof HTMLTextAreaElement) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) {
        event.preventDefault();
        manager.undo();
      } else if ((key === "z" && event.shiftKey) || (key === "y" && !event.shiftKey)) {
        event.preventDefault();
        manager.redo();
      }
    },
    [manager],
  );

  return {
    canUndo: (manager?.undoStack.length ?? 0) > 0,
    canRedo: (manager?.redoStack.length ?? 0) > 0,
    undo,
    redo,
    checkpoint,
    onKeyDown,
  };
}
