import { Progress, Typography } from 'antd';
import type { VisitCampaign } from '@shiliuzi/shared/visit-campaigns';
import { t } from '@/locales/zh-CN/index.ts';

/** Done and overdue shares of a campaign as one bar, with the counts beside it. */
export function CampaignProgress({ progress }: { progress: VisitCampaign['progress'] }) {
  const share = (n: number) => (progress.planned === 0 ? 0 : Math.round((n / progress.planned) * 100));
  return (
    <div>
      <Progress
        percent={share(progress.done + progress.overdue)}
        success={{ percent: share(progress.done) }}
        strokeColor="#ff4d4f"
        showInfo={false}
        size="small"
      />
      <Typography.Text type="secondary">{t.casework.campaigns.progress(progress)}</Typography.Text>
    </div>
  );
}
