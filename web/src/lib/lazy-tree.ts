import type { DataNode } from 'antd/es/tree';

/** A node of an antd tree whose children are fetched when it is opened. */
export interface LazyNode extends DataNode {
  key: string;
  children?: LazyNode[];
}

/** The tree with `children` put under the node `key` (a new tree; the old one is left as it was). */
export function withChildren(nodes: LazyNode[], key: string, children: LazyNode[]): LazyNode[] {
  return nodes.map((node) =>
    node.key === key
      ? { ...node, children }
      : node.children
        ? { ...node, children: withChildren(node.children, key, children) }
        : node,
  );
}
