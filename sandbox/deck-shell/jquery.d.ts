// jQuery ships no types and @types/jquery is not installed; the shell only hands it to window.
declare module 'jquery' {
  const jQuery: unknown;
  export default jQuery;
}
