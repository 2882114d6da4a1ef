import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User } from '@shiliuzi/shared/users';
import { api, ApiError } from '@/lib/api-client.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in user, or `null` when there is no session. */
export async function fetchMe(): Promise<User | null> {
  try {
    return await api<User>('/api/auth/me');
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
      api<{ user: User }>('/api/auth/login', { method: 'POST', body: input }),
    onSuccess: ({ user }) => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, user);
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
