// tradewatch supports Node 20; the AWS SDK's notice about its own future Node 22 requirement is
// noise for a CLI user. Imported first, so it is set before any SDK client exists.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
