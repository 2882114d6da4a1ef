import { retentionLabels } from '@shiliuzi/shared/retention-labels.zh-CN';
import type { RetentionReportItem, RetentionRun } from '@shiliuzi/shared/retention';

/** Who the daily run and the history entries of the job are by. */
export const systemActorName = '系统';

/** What an anonymised record shows in place of a name or a text that had to be kept non-empty. */
export const anonymisedText = '（已匿名）';

/** Messages of retention: the refusals that carry figures, and the report the CLI prints. */
export const retentionMessages = {
  periodTooShort: (recordType: keyof typeof retentionLabels.recordTypes, minDays: number) =>
    `${retentionLabels.recordTypes[recordType]}的保留期限不得少于 ${minDays} 天`,
  actionNotAllowed: (
    recordType: keyof typeof retentionLabels.recordTypes,
    allowed: readonly (keyof typeof retentionLabels.actions)[],
  ) =>
    `${retentionLabels.recordTypes[recordType]}到期后只能${allowed.map((a) => retentionLabels.actions[a]).join('或')}`,
  item: (item: RetentionReportItem, dryRun: boolean) => {
    const name = retentionLabels.recordTypes[item.recordType];
    const action = retentionLabels.actions[item.action];
    const did = [
      item.anonymised > 0 ? `匿名化 ${item.anonymised} 条` : '',
      item.deleted > 0 ? `删除 ${item.deleted} 条` : '',
      item.filesRemoved > 0 ? `删除照片文件 ${item.filesRemoved} 个` : '',
    ].filter(Boolean);
    const outcome = did.length === 0 ? '无到期记录' : `${dryRun ? '将' : '已'}${did.join('，')}`;
    return `  ${name}：保留 ${item.days} 天后${action}，${retentionLabels.clocks[item.recordType]}在 ${item.cutoff} 及以前的已到期；${outcome}`;
  },
  summary: (run: RetentionRun) =>
    [
      run.dryRun
        ? '数据保留预演（未做任何改动）：'
        : run.status === 'ok'
          ? '数据保留任务已执行：'
          : '数据保留任务中途失败（以下为失败前已完成的部分）：',
      ...run.items.map((item) => retentionMessages.item(item, run.dryRun)),
      ...(run.error ? [`  失败原因：${run.error}`] : []),
    ].join('\n'),
};
