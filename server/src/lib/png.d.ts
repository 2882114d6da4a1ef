/**
 * A truecolour PNG (8 bits per channel, no interlace) of `width` × `height` pixels drawn by
 * `colourAt`: the demo's photo and the tests' images, made in code rather than shipped as files.
 */
export declare function encodePng(width: number, height: number, colourAt: (x: number, y: number) => readonly [number, number, number]): Buffer;
/** A pomegranate (石榴) on a warm background: the demo visit's photo. */
export declare function pomegranatePng(size?: number): Buffer;
