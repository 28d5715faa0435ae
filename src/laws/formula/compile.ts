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
  /** A sum of terms (`children`), each with its sign: the root's Jacobian is summed from them directly. */
  signs?: number[];
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
        return unaryOp(visit(t.arg), 'neg');
      case 'call':
        return unaryOp(visit(t.arg), t.fn);
      case 'binary': {
        if (t.op === '+' || t.op === '-') {
          // A chain of + and − is one n-ary sum, added left to right (the same rounding as the binary chain).
          const terms: Compiled[] = [];
          const signs: number[] = [];
          const flatten = (u: Node, sign: number) => {
            if (u.kind === 'binary' && (u.op === '+' || u.op === '-')) {
              flatten(u.left, sign);
              flatten(u.right, u.op === '-' ? -sign : sign);
            } else {
              terms.push(visit(u));
              signs.push(sign);
            }
          };
          flatten(t, 1);
          return sumOp(terms, signs);
        }
        const a = visit(t.left);
        const b = visit(t.right);
        return t.op === '^' ? powerOp(a, b) : binaryOp(a, b, t.op);
      }
    }
  };

  // Each operation has its own loops (one per operation, not one shared loop calling a function per element),
  // so that every loop stays monomorphic and V8 compiles it to straight arithmetic.

  /** −a, exp(a), log(a), sqrt(a). */
  const unaryOp = (a: Compiled, fn: 'neg' | 'exp' | 'log' | 'sqrt'): Compiled =>
    add({
      row: a.row,
      deps: a.deps,
      children: [a],
      eval(theta, ws, grad) {
        a.eval(theta, ws, grad);
        const L = len(this, ws);
        const x = ws.val[a.id]!,
          v = ws.val[this.id]!;
        const want = grad && this.deps.length > 0;
        const p = ws.pa[this.id]!;
        switch (fn) {
          case 'neg':
            for (let i = 0; i < L; i++) v[i] = -x[i]!;
            if (want) chain(ws, this, a, null, 0, -1, undefined, null, 0, 0);
            return;
          case 'exp':
            for (let i = 0; i < L; i++) v[i] = Math.exp(x[i]!);
            if (want) chain(ws, this, a, v, 1, 0, undefined, null, 0, 0);
            return;
          case 'log':
            for (let i = 0; i < L; i++) v[i] = Math.log(x[i]!);
            if (want) {
              for (let i = 0; i < L; i++) p[i] = 1 / x[i]!;
              chain(ws, this, a, p, 1, 0, undefined, null, 0, 0);
            }
            return;
          case 'sqrt':
            for (let i = 0; i < L; i++) v[i] = Math.sqrt(x[i]!);
            if (want) {
              for (let i = 0; i < L; i++) p[i] = 0.5 / v[i]!;
              chain(ws, this, a, p, 1, 0, undefined, null, 0, 0);
            }
        }
      },
    });

  /** Σ sign_k · term_k, the terms' values summed left to right. */
  const sumOp = (terms: Compiled[], signs: number[]): Compiled =>
    add({
      row: terms.some((c) => c.row),
      deps: terms.reduce<number[]>((acc, c) => union(acc, c.deps), []),
      children: terms,
      signs,
      eval(theta, ws, grad) {
        for (const c of terms) c.eval(theta, ws, grad);
        sumValues(this, ws);
        if (!grad || this.deps.length === 0) return;
        const L = len(this, ws);
        const g = ws.grad[this.id]!;
        for (let j = 0; j < this.deps.length; j++) {
          terms.forEach((c, k) => {
            addTerm(g, j * L, L, ws.grad[c.id]!, this.slots[k]![j]!, len(c, ws), c.row ? 1 : 0, null, 0, signs[k]!, k > 0);
          });
        }
      },
    });

  function sumValues(node: Compiled, ws: Workspace): void {
    const L = len(node, ws);
    const v = ws.val[node.id]!;
    node.children.forEach((c, k) => {
      const x = ws.val[c.id]!;
      const s = c.row ? 1 : 0;
      const sign = node.signs![k]!;
      if (k === 0) {
        if (sign > 0) for (let i = 0; i < L; i++) v[i] = x[i * s]!;
        else for (let i = 0; i < L; i++) v[i] = -x[i * s]!;
      } else if (sign > 0) for (let i = 0; i < L; i++) v[i]! += x[i * s]!;
      else for (let i = 0; i < L; i++) v[i]! -= x[i * s]!;
    });
  }

  /** a · b, a / b (+ and − are sums). */
  const binaryOp = (a: Compiled, b: Compiled, op: '*' | '/'): Compiled =>
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
        const want = grad && this.deps.length > 0;
        switch (op) {
          case '*':
            for (let i = 0; i < L; i++) v[i] = x[i * sa]! * y[i * sb]!;
            // d(ab)/da = b, d(ab)/db = a: the children's values are the partials.
            if (want) chain(ws, this, a, y, sb, 0, b, x, sa, 0);
            return;
          case '/': {
            for (let i = 0; i < L; i++) v[i] = x[i * sa]! / y[i * sb]!;
            if (!want) return;
            const pa = ws.pa[this.id]!,
              pb = ws.pb[this.id]!;
            for (let i = 0; i < L; i++) {
              pa[i] = 1 / y[i * sb]!;
              pb[i] = -v[i]! * pa[i]!;
            }
            chain(ws, this, a, pa, 1, 0, b, pb, 1, 0);
          }
        }
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
        if (logX) {
          if (sb) for (let i = 0; i < L; i++) v[i] = Math.exp(y[i]! * logX[i]!);
          else {
            const e = y[0]!;
            for (let i = 0; i < L; i++) v[i] = Math.exp(e * logX[i]!);
          }
        } else for (let i = 0; i < L; i++) v[i] = Math.pow(x[i * sa]!, y[i * sb]!);
        if (!grad || this.deps.length === 0) return;
        const pa = ws.pa[this.id]!,
          pb = ws.pb[this.id]!;
        if (a.deps.length > 0) for (let i = 0; i < L; i++) pa[i] = y[i * sb]! * Math.pow(x[i * sa]!, y[i * sb]! - 1);
        if (b.deps.length > 0) {
          if (logX) for (let i = 0; i < L; i++) pb[i] = v[i]! * logX[i]!;
          else for (let i = 0; i < L; i++) pb[i] = v[i]! === 0 ? 0 : v[i]! * Math.log(x[i * sa]!);
        }
        chain(ws, this, a, pa, 1, 0, b, pb, 1, 0);
      },
    });

  const root = visit(tree);
  for (const c of nodes) c.slots = c.children.map((child) => Int32Array.from(c.deps, (k) => child.deps.indexOf(k)));

  /**
   * grad(node)_k = pa·grad(a)_k + pb·grad(b)_k per row, for each constant k the node depends on. A partial is
   * an array read with a stride (`pa[i·spa]`), or, when the array is null, the constant `ca` (1 for a sum).
   */
  function chain(
    ws: Workspace,
    node: Compiled,
    a: Compiled,
    pa: Float64Array | null,
    spa: number,
    ca: number,
    b: Compiled | undefined,
    pb: Float64Array | null,
    spb: number,
    cb: number,
  ): void {
    const L = len(node, ws);
    const g = ws.grad[node.id]!;
    const ia = node.slots[0]!;
    const ib = b ? node.slots[1]! : undefined;
    for (let j = 0; j < node.deps.length; j++) {
      const off = j * L;
      addTerm(g, off, L, ws.grad[a.id]!, ia[j]!, len(a, ws), a.row ? 1 : 0, pa, spa, ca, false);
      if (b) addTerm(g, off, L, ws.grad[b.id]!, ib![j]!, len(b, ws), b.row ? 1 : 0, pb, spb, cb, true);
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
      if (jac && root.signs) {
        // A sum at the root (most laws): each term's derivatives go straight into the Jacobian.
        for (const c of root.children) c.eval(theta, ws, true);
        sumValues(root, ws);
        const v = ws.val[root.id]!;
        const { n } = ws;
        const s = root.row ? 1 : 0;
        for (let i = 0; i < n; i++) out[i] = v[i * s]!;
        jac.fill(0, 0, n * p);
        root.children.forEach((c, t) => {
          const g = ws.grad[c.id]!;
          const sc = c.row ? 1 : 0;
          const Lc = len(c, ws);
          const sign = root.signs![t]!;
          c.deps.forEach((k, j) => {
            const off = j * Lc;
            for (let i = 0; i < n; i++) jac[i * p + k]! += sign * g[off + i * sc]!;
          });
        });
        return;
      }
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

/**
 * g[off + i] (+)= partial_i · child's grad_i of one constant (slot `j` of the child; −1: the child does not
 * depend on it, a zero term). `accumulate` adds to what is there (the second child), else writes.
 */
function addTerm(
  g: Float64Array,
  off: number,
  L: number,
  gc: Float64Array,
  j: number,
  Lc: number,
  sc: number,
  p: Float64Array | null,
  sp: number,
  c: number,
  accumulate: boolean,
): void {
  if (j < 0) {
    if (!accumulate) g.fill(0, off, off + L);
    return;
  }
  const base = j * Lc;
  if (p === null) {
    if (accumulate) for (let i = 0; i < L; i++) g[off + i]! += c * gc[base + i * sc]!;
    else for (let i = 0; i < L; i++) g[off + i] = c * gc[base + i * sc]!;
  } else if (accumulate) for (let i = 0; i < L; i++) g[off + i]! += p[i * sp]! * gc[base + i * sc]!;
  else for (let i = 0; i < L; i++) g[off + i] = p[i * sp]! * gc[base + i * sc]!;
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
