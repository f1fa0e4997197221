/**
 * Distinct stacks with summed weights, for the `top` report. Memory grows with the number of
 * distinct stacks only.
 */
import type { Frame } from '../model/events.js';
import { frameText } from '../model/stacks.js';

/** Identity of a stack: its frames' text, root first, joined by `;`. */
export function stackKey(frames: readonly Frame[]): string {
  let k = '';
  for (let i = 0; i < frames.length; i++) k += (i ? ';' : '') + frameText(frames[i]!);
  return k;
}

export interface StackEntry {
  key: string;
  /** Root first. */
  frames: Frame[];
  /** Sum of the weights (counts) of every observation of this stack. */
  weight: number;
  /** How many observations (reports, histogram entries) were merged. */
  observations: number;
  /** Title and reason of the first observation. */
  title?: string;
  reason?: string;
}

/** Distinct stacks with summed weights; `ranked()` sorts by weight (descending), then by key, so the order is stable. */
export class StackTable {
  private readonly map = new Map<string, StackEntry>();
  total = 0;
  observations = 0;

  add(frames: readonly Frame[], weight: number, title?: string, reason?: string): StackEntry {
    const key = stackKey(frames);
    let e = this.map.get(key);
    if (!e) {
      e = { key, frames: frames.slice(), weight: 0, observations: 0 };
      if (title !== undefined) e.title = title;
      if (reason !== undefined) e.reason = reason;
      this.map.set(key, e);
    }
    e.weight += weight;
    e.observations++;
    this.total += weight;
    this.observations++;
    return e;
  }

  get size(): number {
    return this.map.size;
  }

  ranked(): StackEntry[] {
    return [...this.map.values()].sort((a, b) => b.weight - a.weight || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
