-- Support tickets and their message threads.

CREATE TABLE tickets (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  number           bigint GENERATED ALWAYS AS IDENTITY,
  created_by       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  subject          text NOT NULL,
  description      text NOT NULL,
  category         text NOT NULL DEFAULT 'general',
  priority         text NOT NULL DEFAULT 'medium',
  status           text NOT NULL DEFAULT 'open',
  assigned_to      text REFERENCES users (id) ON DELETE SET NULL,
  assigned_at      timestamptz,
  first_response_at timestamptz,
  escalated_at     timestamptz,
  escalation_count integer NOT NULL DEFAULT 0,
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  resolved_at      timestamptz,
  closed_at        timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT tickets_number_key UNIQUE (number),
  CONSTRAINT tickets_subject_length CHECK (char_length(subject) BETWEEN 1 AND 200),
  CONSTRAINT tickets_description_length CHECK (char_length(description) BETWEEN 1 AND 10000),
  CONSTRAINT tickets_category_check
    CHECK (category IN ('technical', 'billing', 'account', 'general')),
  CONSTRAINT tickets_priority_check CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  CONSTRAINT tickets_status_check
    CHECK (status IN ('open', 'assigned', 'in_progress', 'resolved', 'closed')),
  CONSTRAINT tickets_escalation_count_check CHECK (escalation_count >= 0)
);

COMMENT ON COLUMN tickets.number IS 'Short human reference shown to users (#1042).';
COMMENT ON COLUMN tickets.first_response_at IS
  'First non-internal reply by staff; unanswered tickets escalate from last_activity_at.';
COMMENT ON COLUMN tickets.escalated_at IS
  'Last automatic escalation (one priority step: low 72 h, medium 24 h, high 4 h).';
COMMENT ON COLUMN tickets.last_activity_at IS
  'Last message or status change; drives escalation and the 48 h auto-close of resolved tickets.';

CREATE INDEX tickets_status_idx ON tickets (status, priority, created_at);
CREATE INDEX tickets_assignee_idx ON tickets (assigned_to, status);
CREATE INDEX tickets_creator_idx ON tickets (created_by, created_at DESC);
CREATE INDEX tickets_category_idx ON tickets (category, status);
CREATE INDEX tickets_activity_idx ON tickets (last_activity_at)
  WHERE status IN ('open', 'assigned', 'in_progress', 'resolved');

CREATE TRIGGER tickets_updated_at BEFORE UPDATE ON tickets
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE ticket_messages (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  ticket_id   uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
  author_id   text REFERENCES users (id) ON DELETE SET NULL,
  body        text NOT NULL,
  is_internal boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ticket_messages_body_length CHECK (char_length(body) BETWEEN 1 AND 10000)
);

COMMENT ON COLUMN ticket_messages.is_internal IS
  'Staff-only note: never shown to the ticket''s creator.';

CREATE INDEX ticket_messages_ticket_idx ON ticket_messages (ticket_id, created_at);
