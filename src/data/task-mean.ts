import { at, UserError, optionRef } from '../errors.js';
import { numericColumn, requireColumn } from './columns.js';
import type { Cell, Table } from './table.js';

/** How a long-format file (one row per run × task) gives each run one number: the mean over tasks. */
export interface TaskMeanSpec {
  /** Column naming the run, matched against the same column of the run table (`--join`). */
  join: string;
  /** Column naming the task (`--task-column`). */
  taskColumn: string;
  /** Column with the per-task value, e.g. the error (`--error`). */
  value: string;
  /** Tasks to average over (`--tasks`); every run asked for must have each of them exactly once. */
  tasks: readonly string[];
}

/**
 * Per-run means over a task list from a long-format table, looked up by join key. A run that lacks a listed
 * task, has one twice, or is absent from the file is an error naming both files' rows.
 */
export function taskMeans(long: Table, spec: TaskMeanSpec): (key: Cell, origin?: { file: string; row: number }) => number {
  if (spec.tasks.length === 0) throw new UserError(`${optionRef('tasks')}: no task given`);
  requireColumn(long, spec.join);
  requireColumn(long, spec.taskColumn);
  const values = numericColumn(long, spec.value);
  const wanted = new Set(spec.tasks);
  const byRun = new Map<string, Map<string, number>>();
  long.rows.forEach((row, i) => {
    const task = String(row.values[spec.taskColumn] ?? '');
    if (!wanted.has(task)) return;
    const key = String(row.values[spec.join] ?? '');
    let tasks = byRun.get(key);
    if (!tasks) {
      tasks = new Map();
      byRun.set(key, tasks);
    }
    if (tasks.has(task)) throw new UserError(`${at(row.origin)}run "${key}" has task "${task}" a second time`);
    tasks.set(task, values[i]!);
  });
  const file = long.rows[0]?.origin.file ?? 'error file';
  return (key, origin) => {
    const name = String(key ?? '');
    const tasks = byRun.get(name);
    if (!tasks) throw new UserError(`${at(origin, spec.join)}run "${name}" has none of the listed tasks in ${file}`);
    let sum = 0;
    for (const t of spec.tasks) {
      const v = tasks.get(t);
      if (v === undefined) throw new UserError(`${at(origin, spec.join)}run "${name}" has no row for task "${t}" in ${file}`);
      sum += v;
    }
    return sum / spec.tasks.length;
  };
}
