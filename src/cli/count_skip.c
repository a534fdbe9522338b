/* count_skip.c - what `count DIR --skip-generated` leaves out by name:
 * repomix's default ignore patterns (repomix 1.14.0,
 * src/config/defaultIgnore.ts, MIT), written in gitignore's syntax from
 * the directory counted (a repomix pattern without a leading `**` is
 * anchored there, `/`; a directory and all below it is `X/`), then
 * snapshots and
 * source maps, then the extensions repomix takes for binaries without
 * reading them (is-binary-path 3, its list the npm package
 * binary-extensions 3.2.0, MIT).  docs/count.md lists them. */
#include "count_tree.h"

const char cli_count_skip_patterns[] =
	/* repomix's defaults (.git: never walked) */
	"/.hg/\n/.hgignore\n/.svn/\nnode_modules/\nbower_components/\n"
	"jspm_packages/\n/vendor/\n.bundle/\n.gradle/\n/target/\n/logs/\n"
	"*.log\nnpm-debug.log*\nyarn-debug.log*\nyarn-error.log*\n/pids/\n"
	"/*.pid\n/*.seed\n/*.pid.lock\n/lib-cov/\n/coverage/\n/.nyc_output/\n"
	"/.grunt/\n/.lock-wscript\n/build/Release/\n/typings/\n.npm/\n"
	"/.eslintcache\n/.rollup.cache/\n/.webpack.cache/\n/.parcel-cache/\n"
	"/.sass-cache/\n/*.cache\n/.node_repl_history\n/*.tgz\n.yarn/\n"
	".yarn-integrity\n/.env\n/.next/\n/.nuxt/\n/.vuepress/dist/\n"
	"/.serverless/\n/.fusebox/\n/.dynamodb/\n/dist/\n.DS_Store\nThumbs.db\n"
	"/.idea/\n/.vscode/\n*.swp\n*.swo\n*.swn\n*.bak\n/build/\n/out/\n"
	"/tmp/\n/temp/\nrepomix-output.*\nrepopack-output.*\n"
	"package-lock.json\nyarn.lock\npnpm-lock.yaml\nbun.lockb\nbun.lock\n"
	"__pycache__/\n*.py[cod]\nvenv/\n.venv/\n.pytest_cache/\n.mypy_cache/\n"
	".ipynb_checkpoints/\nPipfile.lock\npoetry.lock\nuv.lock\nCargo.lock\n"
	"Cargo.toml.orig\ntarget/\n*.rs.bk\ncomposer.lock\nGemfile.lock\n"
	"go.sum\nmix.lock\nstack.yaml.lock\ncabal.project.freeze\n"
	/* snapshots and source maps, which repomix counts */
	"__snapshots__/\n*.snap\n*.js.map\n*.mjs.map\n*.cjs.map\n*.css.map\n"
	"*.d.ts.map\n"
	/* binaries by their extension */
	"*.3dm\n*.3ds\n*.3g2\n*.3gp\n*.7z\n*.a\n*.aac\n*.adp\n*.afdesign\n"
	"*.afphoto\n*.afpub\n*.ai\n*.aif\n*.aiff\n*.alz\n*.ape\n*.apk\n"
	"*.appimage\n*.ar\n*.arj\n*.asf\n*.au\n*.avi\n*.bak\n*.baml\n*.bh\n"
	"*.bin\n*.bk\n*.bmp\n*.btif\n*.bz2\n*.bzip2\n*.cab\n*.caf\n*.cgm\n"
	"*.class\n*.cmx\n*.cpio\n*.cr2\n*.cr3\n*.cur\n*.dat\n*.dcm\n*.dds\n"
	"*.deb\n*.dex\n*.djvu\n*.dll\n*.dmg\n*.dng\n*.doc\n*.docm\n*.docx\n"
	"*.dot\n*.dotm\n*.dra\n*.DS_Store\n*.dsk\n*.dts\n*.dtshd\n*.dvb\n"
	"*.dwg\n*.dxf\n*.dylib\n*.ecelp4800\n*.ecelp7470\n*.ecelp9600\n*.egg\n"
	"*.eol\n*.eot\n*.epub\n*.exe\n*.f4v\n*.fbs\n*.fh\n*.fla\n*.flac\n"
	"*.flatpak\n*.fli\n*.flv\n*.fpx\n*.fst\n*.fvt\n*.g3\n*.gh\n*.gif\n"
	"*.graffle\n*.gz\n*.gzip\n*.h261\n*.h263\n*.h264\n*.icns\n*.ico\n"
	"*.ief\n*.img\n*.ipa\n*.iso\n*.jar\n*.jpeg\n*.jpg\n*.jpgv\n*.jpm\n"
	"*.jxr\n*.key\n*.ktx\n*.lha\n*.lib\n*.lvp\n*.lz\n*.lzh\n*.lzma\n*.lzo\n"
	"*.m3u\n*.m4a\n*.m4v\n*.mar\n*.mdi\n*.mht\n*.mid\n*.midi\n*.mj2\n"
	"*.mka\n*.mkv\n*.mmr\n*.mng\n*.mobi\n*.mov\n*.movie\n*.mp3\n*.mp4\n"
	"*.mp4a\n*.mpeg\n*.mpg\n*.mpga\n*.msi\n*.msp\n*.mxu\n*.nef\n*.npx\n"
	"*.numbers\n*.nupkg\n*.o\n*.odp\n*.ods\n*.odt\n*.oga\n*.ogg\n*.ogv\n"
	"*.otf\n*.ott\n*.p12\n*.pages\n*.pbm\n*.pcx\n*.pdb\n*.pdf\n*.pea\n"
	"*.pfx\n*.pgm\n*.pic\n*.png\n*.pnm\n*.pot\n*.potm\n*.potx\n*.ppa\n"
	"*.ppam\n*.ppm\n*.pps\n*.ppsm\n*.ppsx\n*.ppt\n*.pptm\n*.pptx\n*.psd\n"
	"*.pya\n*.pyc\n*.pyo\n*.pyv\n*.qt\n*.rar\n*.ras\n*.raw\n*.resources\n"
	"*.rgb\n*.rip\n*.rlc\n*.rmf\n*.rmvb\n*.rpm\n*.rtf\n*.rz\n*.s3m\n*.s7z\n"
	"*.scpt\n*.sgi\n*.shar\n*.snap\n*.sil\n*.sketch\n*.slk\n*.smv\n*.snk\n"
	"*.so\n*.sqlite\n*.sqlite3\n*.stl\n*.suo\n*.sub\n*.swf\n*.tar\n*.tbz\n"
	"*.tbz2\n*.tga\n*.tgz\n*.thmx\n*.tif\n*.tiff\n*.tlz\n*.ttc\n*.ttf\n"
	"*.txz\n*.udf\n*.uvh\n*.uvi\n*.uvm\n*.uvp\n*.uvs\n*.uvu\n*.viv\n*.vob\n"
	"*.war\n*.wasm\n*.wav\n*.wax\n*.wbmp\n*.wdp\n*.weba\n*.webm\n*.webp\n"
	"*.whl\n*.wim\n*.wm\n*.wma\n*.wmv\n*.wmx\n*.woff\n*.woff2\n*.wrm\n"
	"*.wvx\n*.xbm\n*.xif\n*.xla\n*.xlam\n*.xls\n*.xlsb\n*.xlsm\n*.xlsx\n"
	"*.xlt\n*.xltm\n*.xltx\n*.xm\n*.xmind\n*.xpi\n*.xpm\n*.xwd\n*.xz\n*.z\n"
	"*.zip\n*.zipx\n"
	;
