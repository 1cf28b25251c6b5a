/**
 * The field tree as the inspector shows it: every protocol layer at the top,
 * in the order they nest (IPv4, TCP, TLS record, handshake message, SIP …),
 * each holding its own fields — as a protocol analyser lists a packet — and
 * a certificate left inside the message that carries it. Each node keeps
 * its path in the engine's tree, so the hex dump and the tree still point
 * at each other through `fieldAt`. Nothing here reads protocol content.
 */
import type { Field } from '../../sim/index';
import type { FieldPath } from './field-paths';

export interface FieldNode {
  field: Field;
  /** Its path in the engine's tree. */
  path: FieldPath;
  children: FieldNode[];
}

export function layeredTree(fields: readonly Field[]): FieldNode[] {
  const top: FieldNode[] = [];
  const visit = (list: readonly Field[], prefix: string, into: FieldNode[], depth: number) => {
    list.forEach((field, i) => {
      const path = prefix + String(i);
      const node: FieldNode = { field, path, children: [] };
      const hoisted = depth > 0 && field.layer !== undefined && field.layer !== 'x509';
      (hoisted ? top : into).push(node);
      if (field.children) visit(field.children, `${path}.`, node.children, depth + 1);
    });
  };
  visit(fields, '', top, 0);
  return top;
}

/** One row of the tree as the keyboard walks it: the nodes whose parents are all open, in order. */
export interface VisibleRow {
  node: FieldNode;
  /** The row of its parent, for ←; -1 at the top. */
  parent: number;
}

export function visibleRows(nodes: readonly FieldNode[], expanded: ReadonlySet<FieldPath>): VisibleRow[] {
  const out: VisibleRow[] = [];
  const walk = (list: readonly FieldNode[], parent: number) => {
    for (const node of list) {
      const at = out.length;
      out.push({ node, parent });
      if (node.children.length > 0 && expanded.has(node.path)) walk(node.children, at);
    }
  };
  walk(nodes, -1);
  return out;
}

/** The x509 certificates in a tree, in order, with their paths. */
export function certificatesIn(nodes: readonly FieldNode[]): FieldNode[] {
  const out: FieldNode[] = [];
  const walk = (list: readonly FieldNode[]) => {
    for (const node of list) {
      if (node.field.layer === 'x509') out.push(node);
      else walk(node.children);
    }
  };
  walk(nodes);
  return out;
}

/** The first field of that name under a node, depth first. */
export function findNamed(field: Field, name: string): Field | undefined {
  for (const child of field.children ?? []) {
    if (child.name === name) return child;
    const inner = findNamed(child, name);
    if (inner) return inner;
  }
  return undefined;
}
