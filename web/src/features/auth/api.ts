import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CurrentUser, SecondFactor, User } from '@shiliuzi/shared/users';
import { api, ApiError } from '@/lib/api-client.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in user, or `null` when there is no session. */
export async function fetchMe(): Promise<CurrentUser | null> {
  try {
    return await api<CurrentUser>('/api/auth/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const meQuery = { queryKey: meQueryKey, queryFn: fetchMe, staleTime: 60_000 };

export function useMe() {
  return useQuery(meQuery);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      api<{ user: User; secondFactor: SecondFactor | null }>('/api/auth/login', {
        method: 'POST',
        body: input,
      }),
    // Who is signed in, and the step the session still owes (a second factor), come from `me`.
    onSuccess: async () => {
      queryClient.clear();
      await queryClient.fetchQuery(meQuery);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<unknown>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}

/** The second sign-in step: a code from the authenticator app, or a recovery code. */
export function verifySecondFactor(code: string) {
  return api<CurrentUser>('/api/auth/totp/verify', { method: 'POST', body: { code } });
}

export function startTotpEnrolment() {
  return api<{ secret: string; uri: string }>('/api/auth/totp/enrolment', { method: 'POST', body: {} });
}

export function confirmTotpEnrolment(code: string) {
  return api<{ recoveryCodes: string[] }>('/api/auth/totp/enrolment/confirm', {
    method: 'POST',
    body: { code },
  });
}
