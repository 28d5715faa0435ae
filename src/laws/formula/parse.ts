import { UserError } from '../../errors.js';

/**
 * The grammar of a formula law (`--law 'E + A*N^-alpha + B*D^-beta'`), parsed by recursive descent into an
 * AST; nothing is ever evaluated as code.
 *
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+') unary | power
 *   power   := primary ('^' unary)?          right-associative; the exponent may carry a sign: N^-alpha
 *   primary := number | name | name '(' sum ')' | '(' sum ')' | '`' column '`'
 *
 * Unary minus binds looser than `^`, as in mathematics: -x^2 is −(x²), and 2^-x^2 is 2^(−(x²)).
 */
export type Node =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string; at: number }
  | { kind: 'column'; name: string; at: number }
  | { kind: 'neg'; arg: Node }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '^'; left: Node; right: Node }
  | { kind: 'call'; fn: FunctionName; arg: Node; at: number };

/** The functions a formula may call; each has an exact derivative. */
export const functionNames = ['exp', 'log', 'sqrt'] as const;
export type FunctionName = (typeof functionNames)[number];

type Token =
  | { kind: 'number'; value: number; at: number; text: string }
  | { kind: 'name'; name: string; at: number; text: string }
  | { kind: 'column'; name: string; at: number; text: string }
  | { kind: 'op'; op: string; at: number; text: string }
  | { kind: 'end'; at: number; text: string };

/** A parse error: one line, the 1-based position in the formula and the formula itself. */
function fail(formula: string, at: number, what: string): never {
  throw new UserError(`at ${at + 1}: ${what} ('${formula}')`);
}

const NUMBER = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(formula: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const rest = formula.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      out.push({ kind: 'number', value: Number(num[0]), at: i, text: num[0] });
      i += num[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      out.push({ kind: 'name', name: name[0], at: i, text: name[0] });
      i += name[0].length;
      continue;
    }
    if (ch === '`') {
      const close = formula.indexOf('`', i + 1);
      if (close < 0) fail(formula, i, 'a column name opened with ` is not closed');
      const column = formula.slice(i + 1, close);
      if (column.trim() === '') fail(formula, i, 'empty column name ``');
      out.push({ kind: 'column', name: column, at: i, text: formula.slice(i, close + 1) });
      i = close + 1;
      continue;
    }
    if ('+-*/^()'.includes(ch)) {
      out.push({ kind: 'op', op: ch, at: i, text: ch });
      i++;
      continue;
    }
    fail(formula, i, `unexpected character "${ch}"`);
  }
  out.push({ kind: 'end', at: formula.length, text: 'the end' });
  return out;
}

/** The AST of a formula; a UserError pointing at the position of the first mistake. */
export function parseFormula(formula: string): Node {
  if (formula.trim() === '') throw new UserError('the formula is empty');
  const tokens = tokenize(formula);
  let k = 0;
  const peek = () => tokens[k]!;
  const isOp = (op: string) => {
    const t = peek();
    return t.kind === 'op' && t.op === op;
  };
  const describe = (t: Token) => (t.kind === 'end' ? 'the end' : `"${t.text}"`);
  const expect = (op: string) => {
    if (!isOp(op)) fail(formula, peek().at, `expected "${op}", found ${describe(peek())}`);
    k++;
  };

  const sum = (): Node => {
    let left = product();
    while (isOp('+') || isOp('-')) {
      const op = (tokens[k++] as { op: '+' | '-' }).op;
      left = { kind: 'binary', op, left, right: product() };
    }
    return left;
  };
  const product = (): Node => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (tokens[k++] as { op: '*' | '/' }).op;
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp('-')) {
      k++;
      return { kind: 'neg', arg: unary() };
    }
    if (isOp('+')) {
      k++;
      return unary();
    }
    return power();
  };
  const power = (): Node => {
    const base = primary();
    if (!isOp('^')) return base;
    k++;
    return { kind: 'binary', op: '^', left: base, right: unary() };
  };
  const primary = (): Node => {
    const t = peek();
    if (t.kind === 'number') {
      k++;
      return { kind: 'number', value: t.value };
    }
    if (t.kind === 'column') {
      k++;
      return { kind: 'column', name: t.name, at: t.at };
    }
    if (t.kind === 'name') {
      k++;
      if (!isOp('(')) return { kind: 'name', name: t.name, at: t.at };
      if (!(functionNames as readonly string[]).includes(t.name)) {
        fail(formula, t.at, `unknown function "${t.name}" (known: ${functionNames.join(', ')})`);
      }
      k++;
      const arg = sum();
      expect(')');
      return { kind: 'call', fn: t.name as FunctionName, arg, at: t.at };
    }
    if (t.kind === 'op' && t.op === '(') {
      k++;
      const inner = sum();
      expect(')');
      return inner;
    }
    return fail(formula, t.at, `expected a number, a name or "(", found ${describe(t)}`);
  };

  const tree = sum();
  const t = peek();
  if (t.kind !== 'end') fail(formula, t.at, t.kind === 'op' && t.op === ')' ? 'unmatched ")"' : `expected an operator, found ${describe(t)}`);
  return tree;
}
