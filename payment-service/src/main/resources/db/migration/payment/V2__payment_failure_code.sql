-- Why a payment could not be processed at all (processing_error, processor_timeout); declines keep decline_code.
ALTER TABLE payments ADD COLUMN failure_code TEXT;
