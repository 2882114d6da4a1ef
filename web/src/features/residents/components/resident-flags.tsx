import { Tag } from 'antd';
import { residentFlags } from '@shiliuzi/shared/registry';
import type { ResidentSummary } from '@shiliuzi/shared/residents';
import { t } from '@/locales/zh-CN/index.ts';

const colors: Record<string, string> = {
  hardship: 'orange',
  minimumLivingAllowance: 'gold',
  disabled: 'purple',
  elderlyAlone: 'magenta',
  partyMember: 'red',
  volunteer: 'green',
};

export function ResidentFlags({ flags }: { flags: ResidentSummary['flags'] }) {
  const set = residentFlags.filter((flag) => flags[flag]);
  if (set.length === 0) return null;
  return (
    <>
      {set.map((flag) => (
        <Tag key={flag} color={colors[flag]} style={{ marginInlineEnd: 4 }}>
          {t.registry.flags[flag]}
        </Tag>
      ))}
    </>
  );
}
