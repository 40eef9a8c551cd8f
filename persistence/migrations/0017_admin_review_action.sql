-- Taking a validation request into review is an admin decision too: it gets its own action in
-- the admin action log, next to approve, reject and request_info.

ALTER TABLE admin_actions DROP CONSTRAINT admin_actions_action_check;

ALTER TABLE admin_actions ADD CONSTRAINT admin_actions_action_check
  CHECK (action IN ('user.update', 'user.suspend', 'user.unsuspend', 'user.delete',
                    'user.role_change', 'validation.review', 'validation.approve',
                    'validation.reject', 'validation.request_info', 'review.moderate',
                    'ticket.assign', 'subscription.create', 'subscription.update',
                    'payment.refund', 'appointment.update', 'appointment.cancel',
                    'schedule.update', 'service.update', 'specialty.update',
                    'settings.update'));
