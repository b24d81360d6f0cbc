/**
 * Imported first by the server entry: unless NODE_ENV says otherwise, the
 * process runs as production. React, Express and Remix each read NODE_ENV
 * when they load, and without this Express would show stack traces and React
 * would run its development build.
 */
process.env.NODE_ENV ??= "production";
