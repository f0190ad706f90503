import type * as Y from "yjs";

/**
 * Applies the change from `before` to `after` to a Y.Text as one delete and one insert around the common prefix and
 * suffix: a plain textarea edit then merges with collaborators' concurrent typing instead of replacing the whole text.
 */
export function applyTextChange(text: Y.Text, before: string, after: string): void {
  if (before === after) return;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  const removed = before.length - start - end;
  const inserted = after.slice(start, after.length - end);
  const apply = () => {
    if (removed > 0) text.delete(start, removed);
    if (inserted) text.insert(start, inserted);
  };
  if (text.doc) text.doc.transact(apply);
  else apply();
}
