import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Checkbox, Form, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { canRevealSensitive } from '@shiliuzi/shared/permissions';
import { useMe } from '@/features/auth/api.ts';
import { downloadFile } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';

const registers = ['residents', 'minority', 'floating', 'dwellings'] as const;

/** Download a register of the selected org unit, or an empty template to fill in. */
export function ExportPanel({ orgUnitId }: { orgUnitId: string }) {
  const { message } = App.useApp();
  const roles = useMe().data?.roles ?? [];
  const [register, setRegister] = useState<(typeof registers)[number]>('residents');
  const [format, setFormat] = useState<'xlsx' | 'csv'>('xlsx');
  const [reveal, setReveal] = useState(false);
  const [busy, setBusy] = useState(false);

  const download = async (path: string, query?: Record<string, string | boolean>) => {
    setBusy(true);
    try {
      message.success(t.imports.exported(await downloadFile(path, query)));
    } catch (error) {
      message.error(error instanceof Error ? error.message : t.imports.failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t.imports.exportTitle} style={{ marginTop: 16 }}>
      <Typography.Paragraph type="secondary">{t.imports.exportHint}</Typography.Paragraph>
      <Form layout="inline" style={{ rowGap: 8 }}>
        <Form.Item label={t.imports.register}>
          <Select
            aria-label={t.imports.register}
            value={register}
            onChange={setRegister}
            style={{ width: 180 }}
            options={registers.map((r) => ({ value: r, label: t.imports.registers[r] }))}
          />
        </Form.Item>
        <Form.Item label={t.imports.format}>
          <Radio.Group
            optionType="button"
            value={format}
            onChange={(e) => setFormat(e.target.value as 'xlsx' | 'csv')}
            options={[
              { value: 'xlsx', label: 'Excel' },
              { value: 'csv', label: 'CSV' },
            ]}
          />
        </Form.Item>
        {canRevealSensitive(roles) && (
          <Form.Item>
            <Checkbox checked={reveal} onChange={(e) => setReveal(e.target.checked)}>
              {t.imports.reveal}
            </Checkbox>
          </Form.Item>
        )}
        <Form.Item>
          <Space wrap>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              loading={busy}
              onClick={() => void download(`/api/exports/${register}`, { orgUnitId, format, reveal })}
            >
              {t.imports.download}
            </Button>
            <Button onClick={() => void download(`/api/exports/templates/${register}`)} disabled={busy}>
              {t.imports.blankTemplate}
            </Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
