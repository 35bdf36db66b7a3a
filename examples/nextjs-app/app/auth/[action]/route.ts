// GET /auth/sign-in?returnTo=/account, GET /auth/callback, POST /auth/sign-out.
import { auth } from "../../../lib/auth";

export const { GET, POST } = auth.handlers;
