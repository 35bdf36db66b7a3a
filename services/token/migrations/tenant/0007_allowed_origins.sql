-- Web origins whose browser code may read the token endpoints' answers (CORS).
ALTER TABLE applications ADD COLUMN allowed_origins text[] NOT NULL DEFAULT '{}';
