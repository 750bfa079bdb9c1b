-- Written by hand from drizzle-kit's output, which splits an expression index at its comma.
CREATE INDEX `letters_deadline_asc_order_idx` ON `letters` (coalesce(`effective_deadline`, '9999-12-31'));--> statement-breakpoint
CREATE INDEX `letters_deadline_desc_order_idx` ON `letters` (coalesce(`effective_deadline`, '0000-00-00'));
