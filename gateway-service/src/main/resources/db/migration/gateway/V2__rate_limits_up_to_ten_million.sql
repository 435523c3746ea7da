-- Load tests through the gateway need a merchant whose limit never binds (issue 18): the bound rises
-- from 100,000 to 10,000,000 requests a minute, as MerchantController checks.
ALTER TABLE merchants DROP CONSTRAINT merchants_rate_limit_per_minute_check;
ALTER TABLE merchants ADD CONSTRAINT merchants_rate_limit_per_minute_check CHECK (rate_limit_per_minute BETWEEN 1 AND 10000000);
