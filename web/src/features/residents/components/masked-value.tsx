import { EyeOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Form, Modal, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { canRevealSensitive } from '@shiliuzi/shared/permissions';
import type { RevealableResidentField } from '@shiliuzi/shared/residents';
import { useMe } from '@/features/auth/api.ts';
import { revealResidentField } from '@/features/residents/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

export interface MaskedValueProps {
  residentId: string;
  field: RevealableResidentField;
  /** The masked value from the list or detail answer. */
  masked: string | null;
}

/** A masked ID number or phone with a 查看 button that asks the server for this one value. */
export function MaskedValue({ residentId, field, masked }: MaskedValueProps) {
  const { message } = App.useApp();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [asking, setAsking] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const canReveal = canRevealSensitive(useMe().data?.roles ?? []);
  if (masked === null) return <Typography.Text type="secondary">{t.common.none}</Typography.Text>;
  const handleReveal = async (reason: string) => {
    setLoading(true);
    try {
      setRevealed((await revealResidentField(residentId, field, reason)).value);
      setAsking(false);
    } catch (error) {
      message.error(error instanceof Error ? error.message : t.residents.revealFailed);
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space size={4} wrap={false}>
      <Typography.Text className="tabular" copyable={revealed !== null ? { text: revealed } : false}>
        {revealed ?? masked}
      </Typography.Text>
      {revealed === null && canReveal && (
        <Tooltip title={t.common.revealTitle}>
          <Button
            type="link"
            size="small"
            icon={<EyeOutlined />}
            loading={loading}
            onClick={(event) => {
              event.stopPropagation();
              setAsking(true);
            }}
            aria-label={`${t.common.reveal}${field === 'idNumber' ? t.residents.fields.idNumber : t.residents.fields.phone}`}
          >
            {t.common.reveal}
          </Button>
        </Tooltip>
      )}
      <Modal
        open={asking}
        title={t.residents.revealReasonTitle}
        okText={t.common.reveal}
        confirmLoading={loading}
        destroyOnHidden
        onCancel={() => setAsking(false)}
        onOk={() => form.submit()}
        modalRender={(node) => <div onClick={(event) => event.stopPropagation()}>{node}</div>}
      >
        <Typography.Paragraph type="secondary">{t.residents.revealReasonHint}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={({ reason }) => void handleReveal(reason.trim())}
        >
          <Form.Item
            name="reason"
            label={t.residents.revealReason}
            rules={[
              { required: true, whitespace: true, message: t.residents.revealReasonRequired },
              { min: 2, max: 200, message: t.residents.revealReasonLength },
            ]}
          >
            <AutoComplete
              autoFocus
              options={t.residents.revealReasons.map((value) => ({ value }))}
              placeholder={t.residents.revealReasonPlaceholder}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
