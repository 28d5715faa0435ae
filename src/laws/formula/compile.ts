import type { Node } from './parse.js';

/**
 * A formula compiled once into a tree of closures that evaluate it over every row at once, with forward-mode
 * derivatives with respect to the constants (exact: each operation applies its own derivative rule).
 *
 * A node that depends on no input is a scalar (one value, not one per row): `-alpha` and `A` cost one
 * operation per call, not one per row. Each node carries the derivatives of its value with respect to the
 * constants it depends on only, so a term's derivative is never a sum of zeros.
 */
export interface Program {
  /** Evaluates into `out` (one value per row) and, with `jac`, dvalue/dθ (rows × θ, row-major). */
  run(theta: Float64Array, ws: Workspace, out: Float64Array, jac?: Float64Array): void;
  /** Buffers for `n` rows with the inputs' values (one array per input, in the order given to {@link compile}). */
  workspace(inputs: readonly Float64Array[]): Workspace;
}

/** The per-node buffers of one set of rows; made once per prepared feature set, so evaluating does not allocate. */
export interface Workspace {
  n: number;
  inputs: readonly Float64Array[];
  /** log of each input, for powers of an input (computed once). */
  logInputs: readonly Float64Array[];
  val: Float64Array[];
  grad: Float64Array[];
  pa: Float64Array[];
  pb: Float64Array[];
}

/** How a constant is moved by the optimiser: θ_k = log c (c stays positive) or θ_k = c. */
export type Scale = 'log' | 'linear';

interface Compiled {
  id: number;
  row: boolean;
  /** Constants (indices into θ) the node depends on, ascending. */
  deps: number[];
  /** Index of the input when the node is an input. */
  input?: number;
  children: Compiled[];
  /** Per child: where each of this node's deps sits among the child's deps (−1: the child does not depend on it). */
  slots: Int32Array[];
  eval(this: Compiled, theta: Float64Array, ws: Workspace, grad: boolean): void;
}

/**
 * Compiles an AST whose names are resolved: `inputOf(node)` gives the input index of a variable or column
 * (or undefined), `constantOf(name)` the θ index of a constant.
 */
export function compile(
  tree: Node,
  resolve: { input(node: Node & { kind: 'name' | 'column' }): number | undefined; constant(name: string): number },
  scales: readonly Scale[],
): Program {
  const nodes: Compiled[] = [];
  const add = (c: Omit<Compiled, 'id' | 'slots'>): Compiled => {
    const node = { ...c, id: nodes.length, slots: [] } as Compiled;
    nodes.push(node);
    return node;
  };
  const len = (c: Compiled, ws: Workspace) => (c.row ? ws.n : 1);

  const visit = (t: Node): Compiled => {
    switch (t.kind) {
      case 'number':
        return add({
          row: false,
          deps: [],
          children: [],
          eval(_theta, ws) {
            ws.val[this.id]![0] = t.value;
          },
        });
      case 'name':
      case 'column': {
        const input = resolve.input(t);
        if (input !== undefined) return add({ row: true, deps: [], children: [], input, eval() {} });
        const k = resolve.constant(t.name);
        const log = scales[k] === 'log';
        return add({
          row: false,
          deps: [k],
          children: [],
          eval(theta, ws, grad) {
            const v = log ? Math.exp(theta[k]!) : theta[k]!;
            ws.val[this.id]![0] = v;
            if (grad) ws.grad[this.id]![0] = log ? v : 1;
          },
        });
      }
      case 'neg':
        return unaryOp(visit(t.arg), (a) => -a, () => -1);
      case 'call': {
        const a = visit(t.arg);
        if (t.fn === 'exp') return unaryOp(a, Math.exp, (_, v) => v);
        if (t.fn === 'log') return unaryOp(a, Math.log, (x) => 1 / x);
        return unaryOp(a, Math.sqrt, (_, v) => 0.5 / v);
      }
      case 'binary': {
        const a = visit(t.left);
        const b = visit(t.right);
        switch (t.op) {
          case '+':
            return binaryOp(a, b, (x, y) => x + y, ONE, ONE);
          case '-':
            return binaryOp(a, b, (x, y) => x - y, ONE, MINUS_ONE);
          case '*':
            return binaryOp(a, b, (x, y) => x * y, (_x, y) => y, (x) => x);
          case '/':
            return binaryOp(a, b, (x, y) => x / y, (_x, y) => 1 / y, (_x, y, v) => -v / y);
          case '^':
            return powerOp(a, b);
        }
      }
    }
  };

  /** f(a) with df/da = d(a, f(a)). */
  const unaryOp = (a: Compiled, f: (x: number) => number, d: (x: number, v: number) => number): Compiled =>
    add({
      row: a.row,
      deps: a.deps,
      children: [a],
      eval(theta, ws, grad) {
        a.eval(theta, ws, grad);
        const L = len(this, ws);
        const x = ws.val[a.id]!,
          v = ws.val[this.id]!;
        for (let i = 0; i < L; i++) v[i] = f(x[i]!);
        if (!grad || this.deps.length === 0) return;
        const p = ws.pa[this.id]!;
        for (let i = 0; i < L; i++) p[i] = d(x[i]!, v[i]!);
        chain(ws, this, a, p, undefined, undefined);
      },
    });

  /** f(a, b) with partials da(a, b, f), db(a, b, f). */
  const binaryOp = (
    a: Compiled,
    b: Compiled,
    f: (x: number, y: number) => number,
    da: (x: number, y: number, v: number) => number,
    db: (x: number, y: number, v: number) => number,
  ): Compiled =>
    add({
      row: a.row || b.row,
      deps: union(a.deps, b.deps),
      children: [a, b],
      eval(theta, ws, grad) {
        a.eval(theta, ws, grad);
        b.eval(theta, ws, grad);
        const L = len(this, ws);
        const sa = a.row ? 1 : 0,
          sb = b.row ? 1 : 0;
        const x = ws.val[a.id]!,
          y = ws.val[b.id]!,
          v = ws.val[this.id]!;
        for (let i = 0; i < L; i++) v[i] = f(x[i * sa]!, y[i * sb]!);
        if (!grad || this.deps.length === 0) return;
        const pa = ws.pa[this.id]!,
          pb = ws.pb[this.id]!;
        if (a.deps.length > 0) for (let i = 0; i < L; i++) pa[i] = da(x[i * sa]!, y[i * sb]!, v[i]!);
        if (b.deps.length > 0) for (let i = 0; i < L; i++) pb[i] = db(x[i * sa]!, y[i * sb]!, v[i]!);
        chain(ws, this, a, pa, b, pb);
      },
    });

  /**
   * a^b. A power of an input uses its precomputed log: a^b = exp(b·log a), d/db = a^b·log a. Otherwise
   * d/da = b·a^(b−1) and d/db = a^b·log a (NaN for a ≤ 0 with a fitted exponent: the law leaves its domain).
   */
  const powerOp = (a: Compiled, b: Compiled): Compiled =>
    add({
      row: a.row || b.row,
      deps: union(a.deps, b.deps),
      children: [a, b],
      eval(theta, ws, grad) {
        a.eval(theta, ws, grad);
        b.eval(theta, ws, grad);
        const L = len(this, ws);
        const sa = a.row ? 1 : 0,
          sb = b.row ? 1 : 0;
        const x = ws.val[a.id]!,
          y = ws.val[b.id]!,
          v = ws.val[this.id]!;
        const logX = a.input !== undefined ? ws.logInputs[a.input]! : undefined;
        if (logX) for (let i = 0; i < L; i++) v[i] = Math.exp(y[i * sb]! * logX[i]!);
        else for (let i = 0; i < L; i++) v[i] = Math.pow(x[i * sa]!, y[i * sb]!);
        if (!grad || this.deps.length === 0) return;
        const pa = ws.pa[this.id]!,
          pb = ws.pb[this.id]!;
        if (a.deps.length > 0) for (let i = 0; i < L; i++) pa[i] = y[i * sb]! * Math.pow(x[i * sa]!, y[i * sb]! - 1);
        if (b.deps.length > 0) {
          if (logX) for (let i = 0; i < L; i++) pb[i] = v[i]! * logX[i]!;
          else for (let i = 0; i < L; i++) pb[i] = v[i]! === 0 ? 0 : v[i]! * Math.log(x[i * sa]!);
        }
        chain(ws, this, a, pa, b, pb);
      },
    });

  const root = visit(tree);
  for (const c of nodes) c.slots = c.children.map((child) => Int32Array.from(c.deps, (k) => child.deps.indexOf(k)));

  /** grad(node)_k = pa·grad(a)_k + pb·grad(b)_k, per row, for each constant k the node depends on. */
  function chain(ws: Workspace, node: Compiled, a: Compiled, pa: Float64Array, b: Compiled | undefined, pb: Float64Array | undefined): void {
    const L = len(node, ws);
    const g = ws.grad[node.id]!;
    const ga = ws.grad[a.id]!,
      La = len(a, ws),
      sa = a.row ? 1 : 0;
    const ia = node.slots[0]!;
    const ib = b ? node.slots[1]! : undefined;
    const gb = b ? ws.grad[b.id]! : undefined,
      Lb = b ? len(b, ws) : 0,
      sb = b?.row ? 1 : 0;
    for (let j = 0; j < node.deps.length; j++) {
      const off = j * L;
      const ja = ia[j]!,
        jb = ib ? ib[j]! : -1;
      if (ja >= 0 && jb >= 0) {
        for (let i = 0; i < L; i++) g[off + i] = pa[i]! * ga[ja * La + i * sa]! + pb![i]! * gb![jb * Lb + i * sb]!;
      } else if (ja >= 0) {
        for (let i = 0; i < L; i++) g[off + i] = pa[i]! * ga[ja * La + i * sa]!;
      } else {
        for (let i = 0; i < L; i++) g[off + i] = pb![i]! * gb![jb * Lb + i * sb]!;
      }
    }
  }

  const p = scales.length;
  return {
    workspace(inputs) {
      const n = inputs[0]?.length ?? 0;
      const logInputs = inputs.map((x) => x.map(Math.log));
      const size = (c: Compiled) => (c.row ? n : 1);
      return {
        n,
        inputs,
        logInputs,
        val: nodes.map((c) => (c.input !== undefined ? inputs[c.input]! : new Float64Array(size(c)))),
        grad: nodes.map((c) => new Float64Array(size(c) * c.deps.length)),
        pa: nodes.map((c) => new Float64Array(c.deps.length > 0 ? size(c) : 0)),
        pb: nodes.map((c) => new Float64Array(c.deps.length > 0 ? size(c) : 0)),
      };
    },
    run(theta, ws, out, jac) {
      root.eval(theta, ws, jac !== undefined);
      const { n } = ws;
      const s = root.row ? 1 : 0;
      const v = ws.val[root.id]!;
      for (let i = 0; i < n; i++) out[i] = v[i * s]!;
      if (!jac) return;
      jac.fill(0, 0, n * p);
      const g = ws.grad[root.id]!;
      const L = root.row ? n : 1;
      root.deps.forEach((k, j) => {
        for (let i = 0; i < n; i++) jac[i * p + k] = g[j * L + i * s]!;
      });
    },
  };
}

const ONE = () => 1;
const MINUS_ONE = () => -1;

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
