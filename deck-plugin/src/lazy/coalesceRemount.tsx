import React from 'react';

/**
 * Renders `Component` at the end of the task that mounted it (a microtask: before the browser
 * paints), so a mount thrown away within that task costs nothing.
 *
 * Why: picking a stage type in Deck's stage editor mounts the type's config twice in one task.
 * `selectStageType` calls `selectStage()`, which renders the config, and the digest that follows
 * runs the editor's `$watch('stage.type', selectStage)`, which unmounts it and renders it again
 * (@spinnaker/core 0.29.1, stageConfig.controller). A form with Deck's YamlEditor paid for two
 * Formik forms and two Ace editors (and two reads of the agents) before the first frame. Only the
 * mount still there at the end of the task renders; nothing is painted in between.
 */
export function coalesceRemount<P extends object>(Component: React.ComponentType<P>): React.ComponentType<P> {
  function Coalesced(props: P) {
    const [settled, setSettled] = React.useState(false);
    // A layout effect: it runs in the mount's commit, so the unmount that follows in the same task
    // always sees `live` (a passive effect might not have run yet).
    React.useLayoutEffect(() => {
      let live = true;
      queueMicrotask(() => {
        if (live) setSettled(true);
      });
      return () => {
        live = false;
      };
    }, []);
    return settled ? <Component {...props} /> : null;
  }
  Coalesced.displayName = `Coalesced(${Component.displayName ?? Component.name ?? 'Component'})`;
  return Coalesced;
}
