import { EyeOutlined } from '@ant-design/icons';
import { App, Button, Space, Tooltip, Typography } from 'antd';
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
  const canReveal = canRevealSensitive(useMe().data?.roles ?? []);
  if (masked === null) return <Typography.Text type="secondary">{t.common.none}</Typography.Text>;
  const handleReveal = async () => {
    setLoading(true);
    try {
      setRevealed((await revealResidentField(residentId, field)).value);
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
              void handleReveal();
            }}
            aria-label={`${t.common.reveal}${field === 'idNumber' ? t.residents.fields.idNumber : t.residents.fields.phone}`}
          >
            {t.common.reveal}
          </Button>
        </Tooltip>
      )}
    </Space>
  );
}
