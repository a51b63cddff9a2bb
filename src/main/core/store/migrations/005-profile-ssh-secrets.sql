-- SSH (the SSH issue): the secret store references of a profile's SSH password or key passphrase,
-- for the SSH host and the optional jump host. The SSH settings themselves live in profiles.config.
ALTER TABLE profiles ADD COLUMN ssh_secret_ref TEXT;
ALTER TABLE profiles ADD COLUMN jump_secret_ref TEXT;
