import { Spin, Tree } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type Key } from 'react';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import { fetchOrgChildren, orgUnitKeys, useOrgUnit } from '@/features/org-units/api.ts';
import { withChildren, type LazyNode } from '@/lib/lazy-tree.ts';
import { t } from '@/locales/zh-CN/index.ts';

const leafTypes = new Set(['grid', 'unit']);

function toNode(unit: OrgUnit): LazyNode {
  return {
    key: unit.id,
    title: unit.name,
    isLeaf: leafTypes.has(unit.type),
  };
}

export interface OrgTreeProps {
  /** The root: the user's own org unit (nobody sees above it). */
  rootId: string;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}

/** The user's org subtree, loaded a level at a time; choosing a unit also opens it. */
export function OrgTree({ rootId, selectedId, onSelect }: OrgTreeProps) {
  const queryClient = useQueryClient();
  const root = useOrgUnit(rootId);
  // Children are merged into the tree as they load; until then the tree is the root alone.
  const [loaded, setLoaded] = useState<LazyNode[] | null>(null);
  const nodes = loaded ?? (root.data ? [toNode(root.data)] : []);
  const [expandedKeys, setExpandedKeys] = useState<string[]>([rootId]);

  const loadChildren = async (node: { key: Key; children?: unknown }) => {
    if (node.children) return;
    const key = String(node.key);
    const children = await queryClient.fetchQuery({
      queryKey: orgUnitKeys.children(key),
      queryFn: () => fetchOrgChildren(key),
      staleTime: 5 * 60_000,
    });
    setLoaded((current) =>
      withChildren(current ?? (root.data ? [toNode(root.data)] : []), key, children.map(toNode)),
    );
  };

  if (root.isPending) return <Spin size="small" />;
  return (
    <Tree
      aria-label={t.common.orgTree}
      treeData={nodes}
      loadData={loadChildren}
      expandedKeys={expandedKeys}
      onExpand={(keys) => setExpandedKeys(keys.map(String))}
      selectedKeys={selectedId ? [selectedId] : []}
      onSelect={(_keys, info) => {
        const key = String(info.node.key);
        onSelect(key);
        if (!info.node.isLeaf && !expandedKeys.includes(key)) setExpandedKeys([...expandedKeys, key]);
      }}
      blockNode
    />
  );
}
