import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api, whenUnauthorized } from './client';

/** GET /api/v2/session: who is signed in (Tollgate's own operation). */
export interface SessionUser {
  username: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  authentication: string;
  csrfToken?: string;
  expiresAt?: string;
}

export const SESSION_KEY = ['session'] as const;

/** The signed-in user (null: nobody), and whether a session just ended under the user's feet. */
export function useSession() {
  const queryClient = useQueryClient();
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    // Any 401 from the API ends the signed-in state: the login page shows, then the same page again.
    whenUnauthorized(() => {
      if (queryClient.getQueryData(SESSION_KEY)) setExpired(true);
      queryClient.setQueryData(SESSION_KEY, null);
    });
  }, [queryClient]);
  const query = useQuery({
    queryKey: SESSION_KEY,
    queryFn: async () => {
      try {
        return await api<SessionUser>('GET', '/api/v2/session', undefined, { quietUnauthorized: true });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
  // Signed in again: a later log-out is not an expiry.
  useEffect(() => {
    if (query.data) setExpired(false);
  }, [query.data]);
  return { ...query, expired };
}

export async function logIn(username: string, password: string): Promise<SessionUser> {
  return api<SessionUser>('POST', '/api/v2/session', { username, password }, { quietUnauthorized: true });
}

export async function logOut(): Promise<void> {
  await api<void>('DELETE', '/api/v2/session', undefined, { quietUnauthorized: true });
}
