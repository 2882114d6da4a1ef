import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useState, type ReactNode } from 'react';
import { meQuery, meQueryKey } from '@/features/auth/api.ts';
import { ApiError } from '@/lib/api-client.ts';
import { styleNonce } from '@/lib/csp-nonce.ts';

dayjs.locale('zh-cn');

function createQueryClient() {
  // A 401 anywhere means the session has ended (logout elsewhere, expiry): forget the user, and the
  // session guard sends the browser to the login page, which returns here afterwards.
  const onError = (error: Error) => {
    if (error instanceof ApiError && error.status === 401) client.setQueryData(meQueryKey, null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // A refusal (403/404/409) will not change on retry; a network hiccup may.
        retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.status === 0),
        refetchOnWindowFocus: false,
        staleTime: 15_000,
      },
    },
  });
  // Ask who is signed in while the page's code is still loading.
  void client.prefetchQuery(meQuery);
  return client;
}

/** antd writes its run-time styles with the page's nonce (the Content Security Policy allows no others). */
const csp = { nonce: styleNonce };

const theme = {
  token: { colorPrimary: '#c0392b', borderRadius: 6 },
};

export function AppProviders({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <ConfigProvider locale={zhCN} theme={theme} csp={csp}>
      <AntApp>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
