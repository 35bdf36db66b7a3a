-- ListApplications' client_type and application_type filters, in client_id (page) order.
CREATE INDEX applications_client_type ON applications (client_type, client_id);
CREATE INDEX applications_application_type ON applications (application_type, client_id);
