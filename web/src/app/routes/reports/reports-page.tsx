import { FileWordOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Progress, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useOrgUnit } from '@/features/org-units/api.ts';
import { useSelectedOrg } from '@/features/org-units/use-selected-org.ts';
import { downloadBasicReport } from '@/features/reports/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

/** 报告: generate the reports of the selected org unit. */
function ReportsPage() {
  const { message } = App.useApp();
  const { orgUnitId } = useSelectedOrg();
  const org = useOrgUnit(orgUnitId);
  const [asOf, setAsOf] = useState<Dayjs>(dayjs());
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState(0);

  // The server answers in one go; the bar shows that work is under way.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => setProgress((p) => Math.min(p + (95 - p) * 0.15, 95)), 200);
    return () => clearInterval(timer);
  }, [busy]);

  const handleGenerate = async () => {
    if (!orgUnitId) return;
    setProgress(5);
    setBusy(true);
    try {
      const fileName = await downloadBasicReport(orgUnitId, asOf.format('YYYY-MM-DD'));
      setProgress(100);
      message.success(t.reports.done(fileName));
    } catch (error) {
      message.error(error instanceof Error ? error.message : t.reports.failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Typography.Title level={4}>{t.reports.title}</Typography.Title>
      <Card
        size="small"
        title={
          <Space>
            <FileWordOutlined />
            {t.reports.basic}
          </Space>
        }
        style={{ maxWidth: 720 }}
      >
        <Typography.Paragraph type="secondary">{t.reports.basicDescription}</Typography.Paragraph>
        {org.data && <Typography.Paragraph>{t.reports.scope(org.data.name)}</Typography.Paragraph>}
        <Form layout="inline" onFinish={() => void handleGenerate()}>
          <Form.Item label={t.reports.asOf}>
            <DatePicker value={asOf} allowClear={false} onChange={(value) => value && setAsOf(value)} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} icon={<FileWordOutlined />}>
              {t.reports.download}
            </Button>
          </Form.Item>
        </Form>
        {(busy || progress === 100) && (
          <Progress
            percent={Math.round(progress)}
            status={busy ? 'active' : 'success'}
            style={{ marginTop: 12 }}
          />
        )}
      </Card>
    </>
  );
}

export { ReportsPage as Component };
