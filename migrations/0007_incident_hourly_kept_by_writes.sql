-- incident_hourly was kept by triggers (the first 0007), which remote D1 cannot apply: it cuts a
-- migration at every semicolon, trigger bodies included. Every write of incidents now keeps the
-- table in its own batch (worker/db/hourly.ts). That 0007 was never deployed. A local database that
-- applied it loses its triggers here, so no write is counted twice.
DROP TRIGGER IF EXISTS `incident_hourly_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `incident_hourly_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `incident_hourly_delete`;
--> statement-breakpoint
-- Buckets emptied by a write are deleted in its batch through this index, which holds only them.
CREATE INDEX `incident_hourly_empty` ON `incident_hourly` (`hour`) WHERE n = 0;
--> statement-breakpoint
DELETE FROM `incident_hourly`;
--> statement-breakpoint
-- The grouping of the incidents a deployment already has. The hour is floor(occurred_at / 3600000),
-- written so that it also rounds down before 1970 (integer division truncates toward zero).
INSERT INTO `incident_hourly` (`zone_key`, `hour`, `n`, `verified`)
SELECT coalesce(`zone_id`, 0), (`occurred_at` - ((`occurred_at` % 3600000) + 3600000) % 3600000) / 3600000, count(*), sum(`verification` = 'verified')
FROM `incidents`
WHERE `retracted_at` IS NULL AND `verification` <> 'rejected'
GROUP BY 1, 2;
