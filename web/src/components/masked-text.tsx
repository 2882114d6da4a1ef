import { EyeOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Form, Modal, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { t } from '@/locales/zh-CN/index.ts';

export interface MaskedTextProps {
  /** The masked value from the list or detail answer. */
  masked: string | null | undefined;
  /** What the value is (身份证号, 现住址), for the button's accessible name. */
  label: string;
  /** Whether the signed-in user may reveal it; without the right no button is offered. */
  canReveal: boolean;
  /** Asks the server for this one value with the reason given (audited there, never cached). */
  onReveal: (reason: string) => Promise<{ value: string | null }>;
}

/** A masked value (ID number, phone, address) with a 查看 button that asks for it with a reason. */
export function MaskedText({ masked, label, canReveal, onReveal }: MaskedTextProps) {
  const { message } = App.useApp();
  const [revealed, setRevealed] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [asking, setAsking] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  if (masked === null || masked === undefined)
    return <Typography.Text type="secondary">{t.common.none}</Typography.Text>;
  const handleReveal = async (reason: string) => {
    setLoading(true);
    try {
      setRevealed((await onReveal(reason)).value);
      setAsking(false);
    } catch (error) {
      message.error(error instanceof Error ? error.message : t.common.revealFailed);
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
            aria-label={`${t.common.reveal}${label}`}
          >
            {t.common.reveal}
          </Button>
        </Tooltip>
      )}
      <Modal
        open={asking}
        title={t.common.revealReasonTitle}
        okText={t.common.reveal}
        confirmLoading={loading}
        destroyOnHidden
        onCancel={() => setAsking(false)}
        onOk={() => form.submit()}
        modalRender={(node) => <div onClick={(event) => event.stopPropagation()}>{node}</div>}
      >
        <Typography.Paragraph type="secondary">{t.common.revealReasonHint}</Typography.Paragraph>
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={({ reason }) => void handleReveal(reason.trim())}
        >
          <Form.Item
            name="reason"
            label={t.common.revealReason}
            rules={[
              { required: true, whitespace: true, message: t.common.revealReasonRequired },
              { min: 2, max: 200, message: t.common.revealReasonLength },
            ]}
          >
            <AutoComplete
              autoFocus
              options={t.common.revealReasons.map((value) => ({ value }))}
              placeholder={t.common.revealReasonPlaceholder}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
