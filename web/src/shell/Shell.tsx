import { AppShell, Avatar, Group, Menu, NavLink, Text, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { SESSION_KEY, type SessionUser, logOut } from '../api/session';

/** The pages the app has; each is a real page (nothing listed before it exists). */
const NAV = [{ to: '/', label: 'Organizations and applications', matches: (path: string) => path === '/' || path.startsWith('/applications') }];

export function Shell({ user, children }: { user: SessionUser; children: ReactNode }) {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username;

  const signOut = async () => {
    try {
      await logOut();
    } finally {
      // Signed out first (the app shows the login page), then nothing read as this user is kept.
      queryClient.setQueryData(SESSION_KEY, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      navigate('/');
    }
  };

  return (
    <AppShell header={{ height: 52 }} padding="md">
      <AppShell.Header bg="indigo.9" c="white">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Text component={Link} to="/" fw={700} size="lg" c="white" td="none">
              Tollgate
            </Text>
            <Group component="nav" aria-label="Main" gap={4} wrap="nowrap">
              {NAV.map((item) => (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  active={item.matches(location.pathname)}
                  variant="filled"
                  color="indigo.7"
                  c="white"
                  w="auto"
                  style={{ borderRadius: 4 }}
                  aria-current={item.matches(location.pathname) ? 'page' : undefined}
                />
              ))}
            </Group>
          </Group>
          <Menu position="bottom-end" shadow="md" width={220}>
            <Menu.Target>
              <UnstyledButton aria-label={`User menu: ${name}`} c="white">
                <Group gap="xs" wrap="nowrap">
                  <Avatar size="sm" color="white" radius="xl">
                    {name.slice(0, 1).toUpperCase()}
                  </Avatar>
                  <Text size="sm">{name}</Text>
                </Group>
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Signed in as {user.username}</Menu.Label>
              {user.authentication === 'session' && <Menu.Item onClick={signOut}>Log out</Menu.Item>}
              {user.authentication !== 'session' && <Menu.Label>Authenticated by {user.authentication === 'proxy' ? 'the reverse proxy' : 'credentials'}</Menu.Label>}
            </Menu.Dropdown>
          </Menu>
        </Group>
      </AppShell.Header>
      <AppShell.Main bg="gray.0">{children}</AppShell.Main>
    </AppShell>
  );
}
