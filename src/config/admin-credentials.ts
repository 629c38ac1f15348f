// The rules for admin names and passwords, shared by the environment check (ADMIN_USERNAME,
// ADMIN_PASSWORD), `omnicore admin create` and the accounts store.
import { z } from 'zod';

export const usernameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{3,64}$/, 'use 3-64 letters, digits, dots, dashes or underscores');
export const passwordSchema = z.string().min(10, 'use at least 10 characters').max(1024);
