import { Alert, Box, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client';
import { SESSION_KEY, logIn } from '../api/session';

/** Sign-in as IQ Server's: Username, Password, "Log in"; the API's refusal shown in its words. */
export function LoginPage({ expired }: { expired: boolean }) {
  const queryClient = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const user = await logIn(username, password);
      // Whatever was read under another user (or none) is not this user's to see.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      queryClient.setQueryData(SESSION_KEY, user);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'The server could not be reached.');
      setBusy(false);
    }
  };

  return (
    <Center mih="100vh" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w={380}>
        <form onSubmit={submit} aria-labelledby="login-title">
          <Stack gap="md">
            <Box>
              <Title order={1} size="h2" id="login-title">
                Tollgate
              </Title>
              <Text c="dimmed" size="sm">
                Log in to see your organizations, applications and reports.
              </Text>
            </Box>
            {expired && !error && (
              <Alert color="yellow" role="status">
                Your session has ended. Log in again to continue.
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert" title="Could not log in">
                {error}
              </Alert>
            )}
            <TextInput label="Username" autoComplete="username" required withAsterisk={false} value={username} onChange={(e) => setUsername(e.currentTarget.value)} data-autofocus autoFocus />
            <PasswordInput label="Password" autoComplete="current-password" required withAsterisk={false} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} fullWidth>
              Log in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
