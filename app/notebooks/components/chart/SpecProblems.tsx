import type { SpecProblem } from "../../../charts/limits.ts";

/** A spec's problems, each with where it is (JSON path, or line and column) and what is wrong. */
export function SpecProblems(p: { title: string; problems: readonly SpecProblem[] }) {
  return (
    <div className="nb-chart-problems" role="alert">
      <p>{p.title}</p>
      <ul>
        {p.problems.map((problem, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity and the list is replaced whole
          <li key={i} data-path={problem.path ?? undefined}>
            {problem.path && !problem.message.startsWith(problem.path) && <code>{problem.path}: </code>}
            {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
