import { Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from './api/session';
import { LoginPage } from './auth/LoginPage';
import { OrganizationsPage } from './pages/OrganizationsPage';
import { ReportPage } from './pages/report/ReportPage';
import { Shell } from './shell/Shell';

/**
 * Routes of the app. Without a session the login page stands in for whatever page was asked for,
 * at the same address, so signing in shows that page (a report link a CI tool printed, say).
 */
export function App() {
  const session = useSession();
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (!session.data) return <LoginPage expired={session.expired} />;
  return (
    <Shell user={session.data}>
      <Routes>
        <Route path="/" element={<OrganizationsPage />} />
        <Route path="/applications/:publicId" element={<OrganizationsPage />} />
        <Route path="/applications/:publicId/reports/:scanId" element={<ReportPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Shell>
  );
}
