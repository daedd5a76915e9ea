import { CfnOutput, DefaultStackSynthesizer, DockerImage, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import { buildConsoleInto } from '../../shared/console/build.js';
import { consoleContentSecurityPolicy } from '../../shared/console/security-headers.js';
import type { Groups } from '../../shared/domain/groups.js';
import { CONSOLE_PREFIX, MANAGE_ROUTES, QUERY_ROUTES, splitRoute } from '../../shared/query/console-routes.js';

export interface ConsoleSiteProps {
  /** The HTTP API whose console copies of the routes this site calls (a JWT authorizer on each). */
  readonly httpApi: apigw.HttpApi;
  /** The query function's integration, for the read routes. */
  readonly queryIntegration: apigw.HttpRouteIntegration;
  /** The manage function's integration, for the watchlist and subscription routes, once there is one. */
  readonly manageIntegration?: apigw.HttpRouteIntegration | undefined;
  readonly groups: Groups;
  /** Prefix of the Cognito managed-login domain (`<prefix>.auth.<region>.amazoncognito.com`), unique in the region. */
  readonly signInDomainPrefix: string;
}

const APP_DIR = fileURLToPath(new URL('../../shared/console/app', import.meta.url));
const HTTP_METHODS: Record<string, apigw.HttpMethod> = { GET: apigw.HttpMethod.GET, POST: apigw.HttpMethod.POST, DELETE: apigw.HttpMethod.DELETE };

/**
 * The web console on AWS: its files in a private bucket that only CloudFront reads (origin access
 * control), served over HTTPS with strict security headers; people sign in with a Cognito user pool
 * (no self sign-up; `admins` may change the watchlist and subscriptions, which the manage handler
 * checks); the API's console routes (`/console/...`, a JWT authorizer on each) are reached through
 * the same CloudFront origin, so the page calls only itself and the sign-in domain.
 */
export class ConsoleSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleSiteProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Only built files, redeployed from the repository at every deploy.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'Holds only the console\'s built files, deployed by the stack and read by CloudFront alone (origin access control); no one else can read or write it, so there is no access to log.',
    });

    this.userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      // Hosted sign-in with TOTP is all the console needs; Lite is the cheapest plan with it (see npm run cost).
      featurePlan: cognito.FeaturePlan.LITE,
      // Admins invite people (AdminCreateUser); invitations expire in a week.
      userInvitation: { emailSubject: 'Your tradewatch console account', emailBody: 'Your tradewatch console user name is {username} and temporary password {####}' },
      signInAliases: { email: true, username: false },
      autoVerify: { email: true },
      passwordPolicy: { minLength: 14, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(7) },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
    const plusPlan = 'Threat protection (advanced security) needs the Plus feature plan, priced per monthly active user; sign-in already requires MFA (TOTP) and a 14-character password, and no one can sign themselves up.';
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions::AwsSolutions-COG3', reason: plusPlan }, { id: 'AwsSolutions::AwsSolutions-COG8', reason: plusPlan });
    new cognito.CfnUserPoolGroup(this, 'Admins', { userPoolId: this.userPool.userPoolId, groupName: 'admins', description: 'May change the watchlist and subscriptions' });
    const domain = this.userPool.addDomain('SignIn', { cognitoDomain: { domainPrefix: props.signInDomainPrefix } });

    const apiOrigin = new origins.HttpOrigin(`${props.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY });
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'tradewatch console: strict CSP, HSTS, no framing, no sniffing, no referrer',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: consoleContentSecurityPolicy([domain.baseUrl()]), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'tradewatch console',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        compress: true,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        // The API's console routes on the page's own origin: no CORS, and connect-src stays 'self'.
        [`${CONSOLE_PREFIX}/*`]: {
          origin: apiOrigin,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
          compress: true,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-CFR1', reason: 'No geo restriction: the console serves signed-in users wherever they are.' },
      { id: 'AwsSolutions::AwsSolutions-CFR2', reason: 'No WAF web ACL (about US$5 a month and more per rule): the files are static and every API call needs a Cognito JWT, throttled by the HTTP API stage.' },
      { id: 'AwsSolutions::AwsSolutions-CFR3', reason: 'No CloudFront access logs: the HTTP API logs every API call (JSON access logs); the static files carry no data.' },
      { id: 'AwsSolutions::AwsSolutions-CFR4', reason: 'The default *.cloudfront.net certificate allows older TLS for viewers; TLS 1.2 (TLSv1.2_2021) applies as soon as a custom domain and ACM certificate are set.' },
      { id: 'AwsSolutions::AwsSolutions-CFR5', reason: 'The API origin is reached over HTTPS only (TLS 1.2, API Gateway\'s own policy).' },
    );
    this.url = `https://${this.distribution.distributionDomainName}/`;

    this.client = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: {},
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.url],
        logoutUrls: [this.url],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });

    const authorizer = new HttpJwtAuthorizer('ConsoleAuthorizer', `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`, {
      jwtAudience: [this.client.userPoolClientId],
    });
    const routes = [...QUERY_ROUTES.map((route) => ({ route, integration: props.queryIntegration })), ...(props.manageIntegration ? MANAGE_ROUTES.map((route) => ({ route, integration: props.manageIntegration! })) : [])];
    for (const { route, integration } of routes) {
      const { method, path } = splitRoute(route);
      props.httpApi.addRoutes({ path: `${CONSOLE_PREFIX}${path}`, methods: [HTTP_METHODS[method]!], integration, authorizer });
    }

    const deployRole = new iam.Role(this, 'FilesRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: 'Copies the console build into its bucket' });
    const deployLogs = new logs.LogGroup(this, 'FilesLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    new s3deploy.BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      // Its own role with named actions only (the grants BucketDeployment would add use wildcards), and its own log group.
      role: deployRole.withoutPolicyUpdates(),
      logGroup: deployLogs,
      sources: [
        s3deploy.Source.asset(APP_DIR, {
          // Built where `cdk synth` runs, with the esbuild the functions are bundled with; the image is never pulled.
          bundling: {
            image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
            local: {
              tryBundle(outputDir) {
                buildConsoleInto(outputDir);
                return true;
              },
            },
          },
        }),
        s3deploy.Source.jsonData('config.json', {
          apiUrl: CONSOLE_PREFIX,
          auth: { domain: domain.baseUrl(), clientId: this.client.userPoolClientId, redirectUri: this.url },
          groups: props.groups,
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
    });
    // What the copy needs, by name: read the uploaded build from the CDK asset bucket, replace the console's files, invalidate the page and config.
    const assetBucketName = `cdk-${stack.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${stack.account}-${stack.region}`;
    const filesPolicy = new iam.Policy(this, 'FilesPolicy', {
        statements: [
          new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${stack.partition}:s3:::${assetBucketName}/*`] }),
          new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
          new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [this.bucket.arnForObjects('*')] }),
          new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'], resources: [`arn:${stack.partition}:cloudfront::${stack.account}:distribution/${this.distribution.distributionId}`] }),
          new iam.PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [deployLogs.logGroupArn] }),
        ],
    });
    deployRole.attachInlinePolicy(filesPolicy);
    Validations.of(filesPolicy).acknowledge(
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]`, reason: 'The CDK asset bucket `cdk deploy` uploads the console build to: the copy reads it from there.' },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`, reason: 'Every file of the console bucket: each deployment replaces them all and prunes the old ones.' },
      { id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${stack.getLogicalId(deployLogs.node.defaultChild as logs.CfnLogGroup)}.Arn>:*]`, reason: 'The log streams of the copy function\'s own log group.' },
    );
    const copier = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'))!;
    Validations.of(copier).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-L1', reason: 'CDK\'s BucketDeployment function: its runtime is the one CDK pins with its AWS CLI layer.' },
      { id: 'Serverless::Serverless-LambdaLatestVersion', reason: 'CDK\'s BucketDeployment function: its runtime is the one CDK pins with its AWS CLI layer.' },
      { id: 'Serverless::Serverless-LambdaDLQ', reason: 'Invoked by CloudFormation as a custom resource: a failure fails the deployment, which rolls back.' },
      { id: 'Serverless::Serverless-LambdaTracing', reason: 'Runs once per deployment to copy files; CloudFormation reports its outcome.' },
    );

    new CfnOutput(stack, 'ConsoleUrl', { value: this.url, description: 'the web console (sign in with a user of the ConsoleUserPoolId pool)' });
    new CfnOutput(stack, 'ConsoleUserPoolId', { value: this.userPool.userPoolId, description: 'add people: aws cognito-idp admin-create-user --user-pool-id <this> --username EMAIL; admins: admin-add-user-to-group --group-name admins' });
  }
}
