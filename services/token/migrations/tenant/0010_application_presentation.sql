-- How an application presents itself on the consent page (services/token/applications/
-- presentation.py): its logo (an https URL, or an uploaded image as a data URL of at most
-- 256 KiB), links, and the words for its custom scopes ({"scope": "description"}).
ALTER TABLE applications
    ADD COLUMN logo_url text NOT NULL DEFAULT '' CHECK (length(logo_url) <= 2048),
    ADD COLUMN logo_image text NOT NULL DEFAULT '' CHECK (length(logo_image) <= 400000),
    ADD COLUMN homepage_url text NOT NULL DEFAULT '' CHECK (length(homepage_url) <= 2048),
    ADD COLUMN privacy_policy_url text NOT NULL DEFAULT '' CHECK (length(privacy_policy_url) <= 2048),
    ADD COLUMN terms_of_service_url text NOT NULL DEFAULT '' CHECK (length(terms_of_service_url) <= 2048),
    ADD COLUMN scope_descriptions jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(scope_descriptions) = 'object');
