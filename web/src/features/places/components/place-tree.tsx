import { Empty, Spin, Tag, Tree } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type Key } from 'react';
import type { Place } from '@shiliuzi/shared/places';
import { fetchPlaceChildren } from '@/features/places/api.ts';
import { withChildren, type LazyNode } from '@/lib/lazy-tree.ts';
import { t } from '@/locales/zh-CN/index.ts';

function toNode(place: Place): LazyNode {
  return {
    key: place.id,
    isLeaf: place.kind === 'dwelling' || place.kind === 'religious_venue',
    title: (
      <span>
        {place.name}{' '}
        <Tag bordered={false} style={{ marginInlineStart: 4 }}>
          {t.registry.placeKinds[place.kind]}
        </Tag>
        {place.isRental && <Tag color="orange">{t.places.rental}</Tag>}
      </span>
    ),
  };
}

export interface PlaceTreeProps {
  orgUnitId: string;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
}

/** Estates and courtyards > buildings > entrances > dwellings of the org subtree, a level at a time. */
export function PlaceTree({ orgUnitId, selectedId, onSelect }: PlaceTreeProps) {
  const queryClient = useQueryClient();
  const roots = useQuery({
    queryKey: ['places', 'children', orgUnitId, 'root'],
    queryFn: () => fetchPlaceChildren(orgUnitId, 'root'),
  });
  const [loaded, setLoaded] = useState<{ orgUnitId: string; nodes: LazyNode[] } | null>(null);
  const nodes = loaded?.orgUnitId === orgUnitId ? loaded.nodes : (roots.data ?? []).map(toNode);

  const loadChildren = async (node: { key: Key; children?: unknown }) => {
    if (node.children) return;
    const key = String(node.key);
    const children = await queryClient.fetchQuery({
      queryKey: ['places', 'children', orgUnitId, key],
      queryFn: () => fetchPlaceChildren(orgUnitId, key),
    });
    setLoaded((previous) => ({
      orgUnitId,
      nodes: withChildren(
        previous?.orgUnitId === orgUnitId ? previous.nodes : (roots.data ?? []).map(toNode),
        key,
        children.map(toNode),
      ),
    }));
  };

  if (roots.isPending) return <Spin size="small" />;
  if (nodes.length === 0) return <Empty description={t.places.empty} />;
  return (
    <Tree
      aria-label={t.places.tree}
      treeData={nodes}
      loadData={loadChildren}
      selectedKeys={selectedId ? [selectedId] : []}
      onSelect={(_keys, info) => onSelect(String(info.node.key))}
      blockNode
    />
  );
}
