import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from '@shiliuzi/shared/registry';
import type { User, UserInput } from '@shiliuzi/shared/users';
import { api } from '@/lib/api-client.ts';

const usersKey = ['users'] as const;

/** The accounts of the user's subtree (system and security administrators). */
export function useUsers() {
  return useQuery({ queryKey: usersKey, queryFn: () => api<User[]>('/api/users') });
}

/** Every change to an account answers the account; the list is read again afterwards. */
function useUserChange<Input>(request: (input: Input) => Promise<User>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKey }),
  });
}

export function useCreateUser() {
  return useUserChange((input: UserInput) => api<User>('/api/users', { method: 'POST', body: input }));
}

export function useSetUserRoles() {
  return useUserChange(({ id, roles }: { id: string; roles: Role[] }) =>
    api<User>(`/api/users/${id}/roles`, { method: 'PUT', body: { roles } }),
  );
}

export function useAccountAction() {
  return useUserChange(({ id, action }: { id: string; action: 'disable' | 'enable' | 'unlock' }) =>
    api<User>(`/api/users/${id}/${action}`, { method: 'POST' }),
  );
}
