CREATE TABLE "stripe_meter_syncs" (
	"tenant_id" uuid NOT NULL,
	"day" date NOT NULL,
	"metric_code" text NOT NULL,
	"quantity" numeric(38, 12) NOT NULL,
	"identifier" text NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_meter_syncs_tenant_id_day_metric_code_pk" PRIMARY KEY("tenant_id","day","metric_code")
);
