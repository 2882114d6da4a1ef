import { SafetyOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List, QRCode, Space, Spin, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import {
  confirmTotpEnrolment,
  meQuery,
  meQueryKey,
  startTotpEnrolment,
  useMe,
  verifySecondFactor,
} from '@/features/auth/api.ts';
import { ApiError } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { safeNext } from './login.tsx';
import styles from './login.module.css';

const f = t.auth.twoFactor;

function CodeForm({ submitLabel, onCode }: { submitLabel: string; onCode: (code: string) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Form
      layout="vertical"
      onFinish={async ({ code }: { code: string }) => {
        setBusy(true);
        setError(null);
        try {
          await onCode(code.trim());
        } catch (e) {
          setError(e instanceof ApiError ? e.message : String(e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {error && <Alert type="error" showIcon title={error} className={styles.alert} />}
      <Form.Item
        name="code"
        label={f.code}
        rules={[{ required: true, whitespace: true, message: f.codeRequired }]}
      >
        <Input
          prefix={<SafetyOutlined />}
          placeholder={f.codePlaceholder}
          autoComplete="one-time-code"
          inputMode="text"
          autoFocus
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy}>
        {submitLabel}
      </Button>
    </Form>
  );
}

/**
 * 双因素验证: the code a signed-in session still owes, or binding an authenticator app (required for
 * some roles, offered to everyone), with the recovery codes shown once.
 */
export function TwoFactorPage() {
  const me = useMe().data!;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));
  const enrolling = me.secondFactor === 'enrol' || (me.secondFactor === null && !me.totpEnabled);
  const [enrolment, setEnrolment] = useState<{ secret: string; uri: string } | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [startError, setStartError] = useState<string | null>(null);

  // One secret per visit: a second start would replace the one the QR code shows.
  const started = useRef(false);
  useEffect(() => {
    if (!enrolling || started.current) return;
    started.current = true;
    startTotpEnrolment()
      .then(setEnrolment)
      .catch((e: unknown) => setStartError(e instanceof ApiError ? e.message : String(e)));
  }, [enrolling]);

  const done = async () => {
    await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
    navigate(next, { replace: true });
  };

  return (
    <main className={styles.page}>
      <Card className={styles.card} title={enrolling || recoveryCodes ? f.enrolTitle : f.title}>
        {recoveryCodes ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Alert type="warning" showIcon title={f.recoveryTitle} description={f.recoveryHint} />
            <List
              size="small"
              bordered
              dataSource={recoveryCodes}
              renderItem={(code) => (
                <List.Item>
                  <Typography.Text code copyable className="tabular">
                    {code}
                  </Typography.Text>
                </List.Item>
              )}
            />
            <Button type="primary" block onClick={() => void done()}>
              {f.saved}
            </Button>
          </Space>
        ) : enrolling ? (
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph type="secondary">{f.enrolHint}</Typography.Paragraph>
            {startError && <Alert type="error" showIcon title={startError} />}
            {enrolment ? (
              <>
                <div style={{ display: 'grid', placeItems: 'center' }}>
                  <QRCode value={enrolment.uri} size={180} />
                </div>
                <Typography.Text>
                  {f.secret}：
                  <Typography.Text code copyable data-testid="totp-secret">
                    {enrolment.secret}
                  </Typography.Text>
                </Typography.Text>
                <CodeForm
                  submitLabel={f.confirm}
                  onCode={async (code) => setRecoveryCodes((await confirmTotpEnrolment(code)).recoveryCodes)}
                />
              </>
            ) : (
              !startError && <Spin />
            )}
          </Space>
        ) : (
          <>
            <Typography.Paragraph type="secondary">{f.verifyHint}</Typography.Paragraph>
            <CodeForm
              submitLabel={f.verify}
              onCode={async (code) => {
                queryClient.setQueryData(meQueryKey, await verifySecondFactor(code));
                navigate(next, { replace: true });
              }}
            />
          </>
        )}
      </Card>
    </main>
  );
}
