CREATE TABLE `incident_hourly` (
	`zone_key` integer NOT NULL,
	`hour` integer NOT NULL,
	`n` integer NOT NULL,
	`verified` integer NOT NULL,
	PRIMARY KEY(`hour`, `zone_key`)
);
