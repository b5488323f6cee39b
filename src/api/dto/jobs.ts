import { Type } from 'typebox';

/** Tollgate's own: a job of the durable queue (src/jobs/), as GET /api/v2/jobs/{jobId} reports it. */
export const JobProgressDTO = Type.Object({
  done: Type.Number(),
  total: Type.Optional(Type.Number()),
  message: Type.Optional(Type.String()),
});

export const JobDTO = Type.Object({
  id: Type.String(),
  type: Type.String(),
  status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  ownerType: Type.String({ description: 'global (a system job), organization or application' }),
  ownerId: Type.Optional(Type.String()),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  progress: Type.Optional(JobProgressDTO),
  result: Type.Optional(Type.Unknown()),
  error: Type.Optional(Type.String({ description: 'why the last attempt failed' })),
  createdAt: Type.String(),
  runAfter: Type.String(),
  startedAt: Type.Optional(Type.String()),
  finishedAt: Type.Optional(Type.String()),
});
