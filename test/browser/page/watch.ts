// Runs in the page before its own scripts: reports every Content-Security-Policy violation.
export {}

type TestWindow = Window & { __reportCsp?: (violation: Record<string, unknown>) => void }

document.addEventListener('securitypolicyviolation', (event) => {
  ;(window as TestWindow).__reportCsp?.({
    directive: event.violatedDirective,
    blockedURI: event.blockedURI,
    sourceFile: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  })
})
