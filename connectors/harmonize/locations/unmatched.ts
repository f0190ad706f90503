/**
 * Counts and lists the location values a run could not match, one entry per distinct value (decision key), so a
 * person can settle each once. Nothing unmatched is dropped silently: every row is counted here.
 */
import type { SourcePlace } from "../../core/types.ts";
import type { NeedsReview, Rejected, Suggestion } from "./match-types.ts";

export interface UnmatchedEntry {
  /** The decision key: store a decision under it to settle the value. */
  key: string;
  /** The value as the source first wrote it. */
  value: string;
  /** The parent as the source or an earlier level gave it (a name, or a matched location's name), if any. */
  parent: string | null;
  level: number | null;
  /** Rows that carried this value. */
  count: number;
  firstPlace: SourcePlace;
  status: "review" | "rejected";
  reason: NeedsReview["reason"] | "rejected by decision";
  suggestions: Suggestion[];
}

export class UnmatchedReport {
  private readonly entriesByKey = new Map<string, UnmatchedEntry>();
  private rows = 0;

  /** Records one row whose location value did not match. */
  add(
    described: { value: string; parent: string | null; level: number | null },
    result: NeedsReview | Rejected,
    place: SourcePlace,
  ): void {
    this.rows++;
    const existing = this.entriesByKey.get(result.key);
    if (existing) {
      existing.count++;
      return;
    }
    this.entriesByKey.set(result.key, {
      key: result.key,
      value: described.value,
      parent: described.parent,
      level: described.level,
      count: 1,
      firstPlace: place,
      status: result.status,
      reason: result.status === "review" ? result.reason : "rejected by decision",
      suggestions: result.status === "review" ? result.suggestions : [],
    });
  }

  /** Unmatched values counted: one per row and unmatched location value (a row stops at its first unmatched level). */
  get totalRows(): number {
    return this.rows;
  }

  get distinctValues(): number {
    return this.entriesByKey.size;
  }

  /** Most frequent first, so the review that settles most rows comes first. */
  entries(): UnmatchedEntry[] {
    return [...this.entriesByKey.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  }

  /** Adds another report's counts (e.g. from a parallel batch) into this one. */
  merge(other: UnmatchedReport): void {
    for (const entry of other.entries()) {
      const mine = this.entriesByKey.get(entry.key);
      if (mine) mine.count += entry.count;
      else this.entriesByKey.set(entry.key, { ...entry });
    }
    this.rows += other.rows;
  }

  toJSON(): { totalRows: number; distinctValues: number; entries: UnmatchedEntry[] } {
    return { totalRows: this.rows, distinctValues: this.distinctValues, entries: this.entries() };
  }
}
