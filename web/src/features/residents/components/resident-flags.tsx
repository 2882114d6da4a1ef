import { Tag, Tooltip } from 'antd';
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

export interface ResidentFlagsProps {
  flags: ResidentSummary['flags'];
  /** An import held the record for review (待核实): shown first, with the reason on hover. */
  reviewFlag?: string | null;
}

export function ResidentFlags({ flags, reviewFlag }: ResidentFlagsProps) {
  const set = residentFlags.filter((flag) => flags[flag]);
  if (set.length === 0 && !reviewFlag) return null;
  return (
    <>
      {reviewFlag && (
        <Tooltip title={t.residents.reviewReasons[reviewFlag] ?? reviewFlag}>
          <Tag color="error" style={{ marginInlineEnd: 4 }}>
            {t.residents.review}
          </Tag>
        </Tooltip>
      )}
      {set.map((flag) => (
        <Tag key={flag} color={colors[flag]} style={{ marginInlineEnd: 4 }}>
          {t.registry.flags[flag]}
        </Tag>
      ))}
    </>
  );
}
