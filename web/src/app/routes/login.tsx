import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useMe } from '@/features/auth/api.ts';
import { t } from '@/locales/zh-CN/index.ts';
import styles from './login.module.css';

/** Only paths inside the app are followed after login (no open redirect). */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const me = useMe();
  const login = useLogin();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNext(searchParams.get('next'));

  if (me.data) return <Navigate to={next} replace />;
  return (
    <main className={styles.page}>
      <Card className={styles.card}>
        <div className={styles.brand}>
          <span className={styles.logo} aria-hidden>
            榴
          </span>
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t.common.appName}
            </Typography.Title>
            <Typography.Text type="secondary">{t.common.appTitle}</Typography.Text>
          </div>
        </div>
        {login.isError && (
          <Alert type="error" showIcon title={login.error.message} className={styles.alert} />
        )}
        <Form
          layout="vertical"
          size="large"
          onFinish={(values: { username: string; password: string }) =>
            login.mutate(values, { onSuccess: () => navigate(next, { replace: true }) })
          }
        >
          <Form.Item
            name="username"
            label={t.auth.username}
            rules={[{ required: true, message: t.auth.usernameRequired }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t.auth.password}
            rules={[{ required: true, message: t.auth.passwordRequired }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t.auth.submit}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
