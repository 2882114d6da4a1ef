import { CheckCircleTwoTone, CloseCircleOutlined, LockOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import {
  PASSWORD_MIN_CLASSES,
  PASSWORD_MIN_LENGTH,
  passwordClassCount,
  type User,
} from '@shiliuzi/shared/users';
import { meQueryKey, useMe } from '@/features/auth/api.ts';
import { api } from '@/lib/api-client.ts';
import { t } from '@/locales/zh-CN/index.ts';
import { safeNext } from './login.tsx';
import styles from './login.module.css';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

function Rule({ ok, children }: { ok: boolean; children: string }) {
  return (
    <Typography.Text type={ok ? 'success' : 'secondary'}>
      {ok ? <CheckCircleTwoTone twoToneColor="#52c41a" /> : <CloseCircleOutlined />} {children}
    </Typography.Text>
  );
}

/** 修改密码: the rules shown as they are met; required first after an administrator set the password or it expired. */
export function PasswordPage() {
  const me = useMe().data!;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordForm>();
  const typed = Form.useWatch('newPassword', form) ?? '';
  const change = useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api<User>('/api/auth/password', { method: 'POST', body: input }),
    onSuccess: (user) => {
      queryClient.setQueryData(meQueryKey, user);
      void message.success(t.auth.changed);
      navigate(safeNext(searchParams.get('next')), { replace: true });
    },
  });

  return (
    <main className={styles.page}>
      <Card className={styles.card} title={t.auth.changePassword}>
        {me.mustChangePassword && (
          <Alert type="warning" showIcon title={t.auth.mustChange} className={styles.alert} />
        )}
        {change.isError && (
          <Alert type="error" showIcon title={change.error.message} className={styles.alert} />
        )}
        <Form<PasswordForm>
          form={form}
          layout="vertical"
          onFinish={({ currentPassword, newPassword }) => change.mutate({ currentPassword, newPassword })}
        >
          <Form.Item
            name="currentPassword"
            label={t.auth.currentPassword}
            rules={[{ required: true, message: t.auth.currentRequired }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" autoFocus />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t.auth.newPassword}
            dependencies={['currentPassword']}
            rules={[
              { required: true, message: t.auth.newRequired },
              { min: PASSWORD_MIN_LENGTH, message: t.auth.tooShort },
              {
                validator: async (_, value: string | undefined) => {
                  if (value && passwordClassCount(value) < PASSWORD_MIN_CLASSES)
                    throw new Error(t.auth.tooSimple);
                },
              },
              ({ getFieldValue }) => ({
                validator: async (_, value: string | undefined) => {
                  if (value && value === getFieldValue('currentPassword'))
                    throw new Error(t.auth.sameAsCurrent);
                },
              }),
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Space orientation="vertical" size={2} style={{ marginBottom: 16 }}>
            <Rule ok={typed.length >= PASSWORD_MIN_LENGTH}>{t.auth.rules.length}</Rule>
            <Rule ok={passwordClassCount(typed) >= PASSWORD_MIN_CLASSES}>{t.auth.rules.classes}</Rule>
            <Typography.Text type="secondary">{t.auth.rules.history}</Typography.Text>
          </Space>
          <Form.Item
            name="confirm"
            label={t.auth.confirmPassword}
            dependencies={['newPassword']}
            rules={[
              { required: true, message: t.auth.confirmRequired },
              ({ getFieldValue }) => ({
                validator: async (_, value: string | undefined) => {
                  if (value && value !== getFieldValue('newPassword'))
                    throw new Error(t.auth.confirmMismatch);
                },
              }),
            ]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="new-password" />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={change.isPending}>
              {t.auth.save}
            </Button>
            {!me.mustChangePassword && (
              <Button onClick={() => navigate(safeNext(searchParams.get('next')))}>{t.auth.back}</Button>
            )}
          </Space>
        </Form>
      </Card>
    </main>
  );
}
